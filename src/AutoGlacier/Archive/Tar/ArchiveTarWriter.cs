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
    public async Task<FileRecord> WriteAsync(GatheredEntry entry, Action<int>? onBytes, CancellationToken cancellationToken)
    {
        var before = TryStat(entry.FullPath, out var statError);
        if (before is null) { return Skipped(entry, "cannot be inspected: " + statError); }
        return before.Kind switch
        {
            FileKind.RegularFile => await WriteFileAsync(entry, before, onBytes, cancellationToken).ConfigureAwait(false),
            FileKind.SymbolicLink => await WriteSymlinkAsync(entry, before, cancellationToken).ConfigureAwait(false),
            FileKind.Directory => await WriteDirectoryAsync(entry, before, cancellationToken).ConfigureAwait(false),
            FileKind.Missing => Skipped(entry, "disappeared before it was read"),
            _ => Skipped(entry, $"changed into a {before.Kind} after it was gathered"),
        };
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

    private async Task<FileRecord> WriteFileAsync(GatheredEntry entry, UnixFileInfo before, Action<int>? onBytes, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                // Unbuffered: the tar writer reads in large chunks already, and a per-file buffer would be garbage
                // once per file (a 1 MiB one cost hundreds of MB of RSS over 20,000 small files).
                bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Skipped(entry, ex is FileNotFoundException or DirectoryNotFoundException
                ? "disappeared before it was read" : "cannot be read: " + ex.Message);
        }
        await using (file.ConfigureAwait(false))
        await using (var content = new StoredContentStream(file, file.Length, onBytes))
        {
            var tarEntry = NewEntry(TarEntryType.RegularFile, entry.ArchiveName, before);
            tarEntry.DataStream = content;
            await _tar.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            var after = TryStat(entry.FullPath, out _);
            var changed = content.EndedEarly || after is null || after.Size != content.Length || after.ModifiedUtc != before.ModifiedUtc;
            return Record(entry, before, content.Length) with
            {
                Hash = content.HashHex(),
                Status = changed ? FileStatus.ChangedWhileRead : FileStatus.Stored,
                Reason = content.ReadError is { } readError
                    ? readError + "; the rest of the stored copy is zeros"
                    : changed ? "size or modification time changed while it was read; the stored copy may be inconsistent" : null,
            };
        }
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

    private static UnixFileInfo? TryStat(string path, out string? error)
    {
        try
        {
            error = null;
            return UnixFileInfo.Get(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return null;
        }
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
