using AutoGlacier.Compression;

namespace AutoGlacier.Snapshots;

/// <summary>
/// A run's catalog between the end of its tar and the vault's acknowledgement of its archive:
/// <c>LOG.catalogs/RUNKEY.pending.zst</c>, complete, but naming its own archive <see cref="CatalogEntry.ThisArchive"/>
/// because the vault gives the id only once the archive is stored. It survives a killed process, so a resumed
/// upload still gets its catalog; <see cref="Finish"/> turns it into the local catalog once the id is known.
/// </summary>
internal static class PendingCatalog
{
    /// <summary>The pending catalog of <paramref name="runKey"/>.</summary>
    public static string PathFor(string logPath, string runKey) =>
        Path.Combine(LocalCatalogFile.DirectoryFor(logPath), runKey + ".pending.zst");

    /// <summary>Moves the completed catalog at <paramref name="completedPath"/> into place (after flushing it to disk).</summary>
    public static string Keep(string logPath, string runKey, string completedPath)
    {
        var pending = PathFor(logPath, runKey);
        Directory.CreateDirectory(Path.GetDirectoryName(pending)!);
        File.Move(completedPath, pending, overwrite: true);
        return pending;
    }

    /// <summary>
    /// Writes the local catalog from the pending one, naming <paramref name="archiveId"/> for the entries the run
    /// stored (and, given the archive's <paramref name="blocks"/>, the block each one's tar header is in), and removes
    /// the pending one. Does nothing more when the local catalog already exists.
    /// </summary>
    /// <exception cref="CatalogException">Neither exists: the catalog is lost (the archive's own copy still has it).</exception>
    public static string Finish(string logPath, string runKey, string archiveId, BlockMap? blocks = null)
    {
        var local = LocalCatalogFile.PathFor(logPath, runKey);
        var pending = PathFor(logPath, runKey);
        if (!File.Exists(local))
        {
            if (!File.Exists(pending))
            {
                throw new CatalogException($"The catalog of run {runKey} is neither at {local} nor pending at {pending}; the run's archive holds a copy.");
            }
            WriteWithArchiveId(logPath, runKey, archiveId, blocks, pending);
        }
        File.Delete(pending);
        return local;
    }

    /// <summary>Removes the pending catalog of a run that failed (nothing will ever be based on it).</summary>
    public static void Discard(string logPath, string runKey) => File.Delete(PathFor(logPath, runKey));

    private static void WriteWithArchiveId(string logPath, string runKey, string archiveId, BlockMap? blocks, string pending)
    {
        using var reader = CatalogReader.OpenFile(pending);
        using var local = LocalCatalogFile.Create(logPath, reader.Header);
        foreach (var entry in reader.Entries())
        {
            local.Writer.Add(entry.Run == runKey && entry.Archive == CatalogEntry.ThisArchive ? InArchive(entry, archiveId, blocks) : entry);
        }
        local.Commit();
    }

    private static CatalogEntry InArchive(CatalogEntry entry, string archiveId, BlockMap? blocks) =>
        entry.Offset is { } offset && blocks?.Find(offset) is var (block, start)
            ? entry with { Archive = archiveId, Block = block, BlockStart = start }
            : entry with { Archive = archiveId };
}
