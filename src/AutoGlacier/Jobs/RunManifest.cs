using AutoGlacier.Archive.Tar;
using AutoGlacier.Log;
using AutoGlacier.Streams;

namespace AutoGlacier;

/// <summary>The run's snapshot catalog as a tar entry just before the manifest: the archive names where every entry of its snapshot is.</summary>
internal static class SnapshotManifest
{
    /// <summary>The tar entry name of a run's catalog (zstd NDJSON, docs/SNAPSHOTS.md).</summary>
    internal static string EntryName(string runKey) => $".autoglacier/catalog-{runKey}.ndjson.zst";

    /// <summary>True for the tar name of a run's catalog.</summary>
    internal static bool IsCatalog(string entryName) =>
        entryName.StartsWith(".autoglacier/catalog-", StringComparison.Ordinal) && entryName.EndsWith(".ndjson.zst", StringComparison.Ordinal);
}

/// <summary>The run's record and file list as the archive's last tar entry, so every archive describes itself.</summary>
internal static class RunManifest
{
    /// <summary>The tar entry name of a run's manifest.</summary>
    internal static string EntryName(string runKey) => $".autoglacier/manifest-{runKey}.json";

    /// <summary>
    /// Appends the manifest to <paramref name="tar"/>. The document goes through an owner-only temp file in
    /// <paramref name="tmpDir"/> first, because a tar header needs the entry's size up front (and it lists every path).
    /// </summary>
    public static async Task WriteAsync(ArchiveTarWriter tar, string tmpDir, string runKey, RunRecord record, FileRecordSpool files,
        CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(tmpDir, $".autoglacier-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var manifest = new FileStream(manifestPath, NewFileOptions.Create(FileAccess.ReadWrite, 1 << 16, NewFileOptions.Private, FileOptions.DeleteOnClose));
            await using (manifest.ConfigureAwait(false))
            {
                await JsonRunLog.WriteRunDocumentAsync(manifest, runKey, record, files, cancellationToken).ConfigureAwait(false);
                manifest.Position = 0;
                await tar.WriteExtraFileAsync(EntryName(runKey), manifest, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }
}
