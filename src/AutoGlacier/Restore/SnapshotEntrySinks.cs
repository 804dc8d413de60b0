using System.Formats.Tar;
using AutoGlacier.Snapshots;

namespace AutoGlacier.Restore;

/// <summary>What a snapshot's restore or verify does with each planned entry.</summary>
internal interface ISnapshotEntrySink
{
    /// <summary>
    /// Handles a tar entry named as <paramref name="planned"/>'s own path (where it is restored) and returns a regular
    /// file's SHA-256 (else null).
    /// </summary>
    Task<string?> HandleAsync(TarEntry entry, PlannedEntry planned, CancellationToken cancellationToken);

    /// <summary>
    /// Handles <paramref name="copy"/>, whose bytes are the tar entry just handled for <paramref name="first"/>
    /// (SHA-256 <paramref name="hash"/>): a file copied within the tree is stored once.
    /// </summary>
    Task<string?> CopyAsync(PlannedEntry first, string hash, PlannedEntry copy, CancellationToken cancellationToken);
}

/// <summary>
/// Restore: extracts each entry under its catalog path with its catalog mode and mtime, refusing content whose
/// SHA-256 differs from the catalog before it gets its real name. A copy is extracted from the file just restored.
/// </summary>
internal sealed class ExtractingSink(EntryExtractor extractor, SafeTargetPath paths) : ISnapshotEntrySink
{
    public Task<string?> HandleAsync(TarEntry entry, PlannedEntry planned, CancellationToken cancellationToken) =>
        extractor.ExtractAsync(entry, planned.Entry.Sha256, EntryMetadata.Of(planned.Entry, entry), cancellationToken);

    public async Task<string?> CopyAsync(PlannedEntry first, string hash, PlannedEntry copy, CancellationToken cancellationToken)
    {
        var restored = new FileStream(paths.Resolve(RestorePlanner.TarNameOf(first.Entry)), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        await using (restored.ConfigureAwait(false))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, RestorePlanner.TarNameOf(copy.Entry)) { DataStream = restored };
            return await HandleAsync(entry, copy, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Verify: hashes each file's content without writing; a copy has the hash of the bytes it shares.</summary>
internal sealed class HashingSink : ISnapshotEntrySink
{
    public Task<string?> HandleAsync(TarEntry entry, PlannedEntry planned, CancellationToken cancellationToken) =>
        VerifyRunner.HashEntryAsync(entry, null, cancellationToken);

    public Task<string?> CopyAsync(PlannedEntry first, string hash, PlannedEntry copy, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(hash);
}
