using AutoGlacier.LocalGlacier;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>A local Glacier server on 127.0.0.1, port 0, with its data in a temp directory; stopped on dispose.</summary>
public sealed class LocalGlacierFixture : IAsyncDisposable
{
    public const string AccessKey = "AKIDTESTLOCALGLACIER";
    public const string SecretKey = "test-secret-Zq8vW3nR5t";

    private readonly TempDir _dir;

    private LocalGlacierFixture(TempDir dir, LocalGlacierServer server)
    {
        _dir = dir;
        Server = server;
    }

    public LocalGlacierServer Server { get; }

    public string Endpoint => Server.Endpoint.ToString().TrimEnd('/');

    public string DataDirectory => _dir.Combine("glacier");

    public static async Task<LocalGlacierFixture> StartAsync(TimeSpan jobDelay = default)
    {
        var dir = new TempDir();
        LocalGlacierServer server = await LocalGlacierServer.StartAsync(new LocalGlacierOptions
        {
            DataDirectory = dir.Combine("glacier"),
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            JobDelay = jobDelay,
        }, CancellationToken.None);
        return new LocalGlacierFixture(dir, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
