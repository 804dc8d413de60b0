using AutoGlacier.Encryption;

namespace AutoGlacier.Restore;

/// <summary>
/// Unlocks the private key on another core while a restore or verify reads the log and plans from the catalogs.
/// Unlocking is slow by design (600,000 PBKDF2 rounds, ~0.3 s), and planning needs no key. The key is awaited before
/// anything is requested from the vault, so a wrong passphrase still costs no retrieval.
/// </summary>
internal sealed class BackgroundKey : IDisposable
{
    private readonly Task<PrivateKey?> _load;

    /// <summary>Starts loading the key at <paramref name="path"/> (none when null: only stored bytes are checked).</summary>
    public BackgroundKey(string? path, string? passphrase) =>
        _load = path is null ? Task.FromResult<PrivateKey?>(null) : Task.Run(() => (PrivateKey?)PrivateKey.Load(path, passphrase));

    /// <summary>The key, once unlocked; a wrong passphrase or an unreadable file is thrown here.</summary>
    public Task<PrivateKey?> Key => _load;

    /// <summary>Disposes the key when it was unlocked (now or once it is), and observes a failure nobody awaited.</summary>
    public void Dispose() => _load.ContinueWith(static load =>
    {
        if (load.IsCompletedSuccessfully) { load.Result?.Dispose(); }
        else { _ = load.Exception; } // the restore ended (e.g. a catalog was missing) before it needed the key
    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
