using AutoGlacier.Cli;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// What the run-level multipart suites (<see cref="KilledBackupTests"/>, <see cref="UnfinishedRunTests"/>) share: a
/// backup world (keys, log, tmp) and a configuration file for the backend's server, made fresh for each test.
/// </summary>
public abstract class BackupRunTests : IAsyncLifetime
{
    private MultipartServer? _server;

    protected BackupWorld World { get; } = new("zstd");

    /// <summary>The configuration file: the world's keys, log and tmp, the server's vault, smallest parts, one at a time.</summary>
    protected string ConfigPath { get; private set; } = null!;

    private protected MultipartServer Server => _server ?? throw new InvalidOperationException("The server is started in InitializeAsync.");

    /// <summary>Starts the backend's server for one test.</summary>
    private protected abstract Task<MultipartServer> StartServerAsync();

    public virtual async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        ConfigPath = Server.WriteConfig(World);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        World.Dispose();
    }

    /// <summary>Runs the CLI in this process; returns its exit code and everything it wrote.</summary>
    protected static async Task<(int Exit, string Output)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(args, output, error);
        return (exit, output + error.ToString());
    }

    protected static async Task DisposeVaultAsync(IVault vault)
    {
        if (vault is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
