using Amazon.Runtime;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>Everything a <see cref="GlacierVault"/> needs, resolved from the configuration.</summary>
internal sealed record GlacierSettings
{
    /// <summary>Glacier's upper limit on the parts of one multipart upload.</summary>
    public const int GlacierMaxParts = 10_000;

    /// <summary>AWS region, e.g. eu-west-1.</summary>
    public required string Region { get; init; }

    /// <summary>Vault name.</summary>
    public required string VaultName { get; init; }

    /// <summary>Credentials used to sign requests (never logged).</summary>
    public required AWSCredentials Credentials { get; init; }

    /// <summary>Endpoint override (compatible servers, tests); null for https://glacier.REGION.amazonaws.com.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Part size in MiB: a power of two, 1..1024. The default 128 MiB lets one archive reach 1.22 TiB.</summary>
    public int PartSizeMb { get; init; } = 128;

    /// <summary>Parts uploaded at once; memory is about part size × (concurrency + 1).</summary>
    public int UploadConcurrency { get; init; } = 2;

    /// <summary>Create the vault when it does not exist (otherwise a missing vault is an error).</summary>
    public bool CreateVault { get; init; }

    /// <summary>Default retrieval tier: Expedited, Standard or Bulk.</summary>
    public string RetrievalTier { get; init; } = "Standard";

    /// <summary>Attempts per request before a retryable error is given up (throttling, 5xx, timeouts, drops).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>First retry delay; doubles per attempt with full jitter, capped at <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Longest a single request may take before it counts as timed out (and is retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Most parts an upload may have; Glacier's 10,000 (lower only in tests).</summary>
    public int MaxParts { get; init; } = GlacierMaxParts;

    /// <summary>Settings from a validated configuration, resolving credentials (config keys, AWS_PROFILE, then the AWS chain).</summary>
    public static GlacierSettings FromConfig(AutoGlacier.Configuration.GteuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new GlacierSettings
        {
            Region = config.RegionName,
            VaultName = config.VaultName,
            Credentials = GlacierCredentials.Resolve(config.AwsAccessKeyId, config.AwsSecretAccessKey, config.AwsProfile),
            Endpoint = config.EndpointUrl is null ? null : new Uri(config.EndpointUrl),
            PartSizeMb = config.PartSizeMb ?? 128,
            UploadConcurrency = config.UploadConcurrency ?? 2,
            CreateVault = config.CreateVault,
            RetrievalTier = Vaults.S3.S3RetrievalTiers.Normalize(config.RetrievalTier) ?? "Standard",
        };
    }

    /// <summary>Part size in bytes.</summary>
    public long PartSize => (long)PartSizeMb << 20;

    /// <summary>Base URL for requests.</summary>
    public Uri BaseUri => Endpoint ?? new Uri($"https://glacier.{Region}.amazonaws.com");
}
