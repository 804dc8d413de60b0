using AutoGlacier.Encryption;
using AutoGlacier.Hashing;
using AutoGlacier.Log;
using AutoGlacier.Vaults;

namespace AutoGlacier.Snapshots;

/// <summary>
/// Stores a run's committed local catalog in the vault, encrypted for the run's recipients, as an object of kind
/// <see cref="VaultObjectKind.Catalog"/>: what <c>recover</c> rebuilds the log from when the backup host is lost.
/// </summary>
internal static class CatalogUpload
{
    /// <summary>Uploads the catalog of <paramref name="runKey"/> and returns the snapshot record with where it is.</summary>
    public static async Task<RunSnapshot> StoreAsync(IVault vault, string logPath, string runKey, string description, IReadOnlyList<RecipientKey> recipients,
        RunSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(snapshot);
        var catalogPath = SnapshotCatalogs.RequireLocal(logPath, runKey);
        var sha256 = await ContentHash.OfFileAsync(catalogPath, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"The catalog {catalogPath} of run {runKey} cannot be read.");
        var upload = await vault.BeginUploadAsync(new ArchiveUploadInfo(runKey, description) { Kind = VaultObjectKind.Catalog }, cancellationToken).ConfigureAwait(false);
        await using (upload.ConfigureAwait(false))
        {
            await LocalCatalogFile.EncryptAsync(catalogPath, upload.Content, recipients, cancellationToken).ConfigureAwait(false);
            var stored = await upload.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return snapshot with { CatalogArchiveId = stored.ArchiveId, CatalogSize = stored.Size, CatalogSha256 = sha256 };
        }
    }
}

/// <summary>The run's archive is stored but its catalog is not: the run is interrupted, and <c>resume</c> stores the catalog.</summary>
internal sealed class CatalogNotStoredException(string message, Exception inner) : AutoGlacierException(message, inner);
