using System.Formats.Tar;
using AutoGlacier.Gathering;
using AutoGlacier.Log;

namespace AutoGlacier.Archive.Tar;

/// <summary>
/// The "T" of GTEU: writes gathered entries into a POSIX pax tar stream (long and unicode names, files over 8 GiB,
/// mode, mtime, uid/gid, symlinks). Each file is opened once; its SHA-256 is computed from the bytes written into
/// the tar. Returns the file's log record (stored, skipped with a reason, or changed while read).
/// </summary>
internal sealed class ArchiveTarWriter(Stream output) : IAsyncDisposable
{
    private readonly TarWriter _tar = new(output, TarEntryFormat.Pax, leaveOpen: true);

    /// <summary>Writes one entry; never throws for problems with the file itself (they become a skipped record).</summary>
    /// <remarks>
    /// Directories and symlinks are written with the metadata gathering read moments before. A regular file is
    /// opened first and written with the metadata of the file it opened; if the path is something else by then, it
    /// is stored as what it is now.
    /// </remarks>
    public async Task<FileRecord> WriteAsync(GatheredEntry entry, Action<int>? onBytes, CancellationToken cancellationToken)
    {
        if (entry.Info.Kind != FileKind.RegularFile) { return await WriteAsAsync(entry, entry.Info, cancellationToken).ConfigureAwait(false); }
        var opening = SourceFile.Open(entry.FullPath);
        if (opening.File is { } file)
        {
            using (file) { return await WriteFileAsync(entry, file, onBytes, cancellationToken).ConfigureAwait(false); }
        }
        return opening.Current is { } current
            ? await WriteAsAsync(entry, current, cancellationToken).ConfigureAwait(false)
            : Skipped(entry, "cannot be read: " + opening.Error);
    }

    /// <summary>Appends a file that is not on the gathered list (the run manifest) under <paramref name="entryName"/>.</summary>
    public async Task WriteExtraFileAsync(string entryName, Stream content, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, entryName)
        {
            DataStream = content,
            ModificationTime = DateTimeOffset.UtcNow,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await _tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an entry that is not a regular file (any more), as <paramref name="info"/> says it is.</summary>
    private async Task<FileRecord> WriteAsAsync(GatheredEntry entry, UnixFileInfo info, CancellationToken cancellationToken) => info.Kind switch
    {
        FileKind.SymbolicLink => await WriteSymlinkAsync(entry, info, cancellationToken).ConfigureAwait(false),
        FileKind.Directory => await WriteDirectoryAsync(entry, info, cancellationToken).ConfigureAwait(false),
        FileKind.Missing => Skipped(entry, "disappeared before it was read"),
        // A special file now, or (a path replaced twice in a moment) a regular file again: not what was gathered.
        _ => Skipped(entry, $"changed into a {info.Kind} after it was gathered"),
    };

    private async Task<FileRecord> WriteFileAsync(GatheredEntry entry, SourceFile file, Action<int>? onBytes, CancellationToken cancellationToken)
    {
        var before = file.Info;
        await using var content = new StoredContentStream(file, before.Size, onBytes);
        var tarEntry = NewEntry(TarEntryType.RegularFile, entry.ArchiveName, before);
        tarEntry.DataStream = content;
        await _tar.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
        // The open file's metadata: a file written to while read shows it; one replaced by a rename meanwhile was
        // read whole (the file opened is unchanged), and the next run stores the new one.
        var after = file.StatAgain();
        var changed = content.EndedEarly || after is null || after.Size != content.Length || after.ModifiedUnixNs != before.ModifiedUnixNs;
        return Record(entry, before, content.Length) with
        {
            Hash = content.HashHex(),
            Status = changed ? FileStatus.ChangedWhileRead : FileStatus.Stored,
            Reason = content.ReadError is { } readError
                ? readError + "; the rest of the stored copy is zeros"
                : changed ? "size or modification time changed while it was read; the stored copy may be inconsistent" : null,
        };
    }

    private async Task<FileRecord> WriteSymlinkAsync(GatheredEntry entry, UnixFileInfo info, CancellationToken cancellationToken)
    {
        var target = new FileInfo(entry.FullPath).LinkTarget;
        if (target is null) { return Skipped(entry, "disappeared before it was read"); }
        var tarEntry = NewEntry(TarEntryType.SymbolicLink, entry.ArchiveName, info);
        tarEntry.LinkName = target;
        await _tar.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
        return Record(entry, info, null) with { Type = "symlink", LinkTarget = target };
    }

    private async Task<FileRecord> WriteDirectoryAsync(GatheredEntry entry, UnixFileInfo info, CancellationToken cancellationToken)
    {
        await _tar.WriteEntryAsync(NewEntry(TarEntryType.Directory, entry.ArchiveName + "/", info), cancellationToken).ConfigureAwait(false);
        return Record(entry, info, null) with { Type = "directory" };
    }

    private static PaxTarEntry NewEntry(TarEntryType type, string name, UnixFileInfo info) => new(type, name)
    {
        ModificationTime = info.ModifiedUtc,
        Mode = (UnixFileMode)info.Mode,
        Uid = info.Uid,
        Gid = info.Gid,
    };

    private static FileRecord Record(GatheredEntry entry, UnixFileInfo info, long? size) => new()
    {
        Path = entry.FullPath,
        ArchiveName = entry.ArchiveName,
        Size = size,
        Mtime = info.ModifiedUtc,
        Mode = info.Mode,
    };

    private static FileRecord Skipped(GatheredEntry entry, string reason) =>
        new() { Path = entry.FullPath, Status = FileStatus.Skipped, Reason = reason };

    public ValueTask DisposeAsync() => _tar.DisposeAsync();
}
