namespace AutoGlacier.LocalGlacier;

/// <summary>How a <see cref="LocalGlacierServer"/> runs.</summary>
public sealed record LocalGlacierOptions
{
    /// <summary>Directory that holds vaults, archives, uploads and jobs (created when missing).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (see <see cref="LocalGlacierServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>The only access key id the server accepts.</summary>
    public string AccessKey { get; init; } = "AKIDLOCALGLACIER";

    /// <summary>Secret used to verify SigV4 signatures.</summary>
    public string SecretKey { get; init; } = "local-glacier-secret";

    /// <summary>How long a job stays InProgress before it succeeds (Glacier: minutes to hours; tests: 0).</summary>
    public TimeSpan JobDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Faults to inject; more can be added while running with <see cref="LocalGlacierServer.AddFault"/>.</summary>
    public IReadOnlyList<FaultRule> Faults { get; init; } = [];

    /// <summary>Largest accepted clock difference between a request's x-amz-date and the server (AWS: 15 minutes).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(15);
}
