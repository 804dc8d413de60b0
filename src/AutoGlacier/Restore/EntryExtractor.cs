using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Gathering;

namespace AutoGlacier.Restore;

/// <summary>
/// Writes tar entries under the restore directory. A file is written to a hidden temporary name next to its final
/// name and renamed only once all its bytes arrived, so an interrupted or failed restore never leaves a partial file
/// under the real name. Existing files are kept unless overwriting was asked for. Directory mode and mtime are applied
/// at the end (writing files into a directory changes its mtime).
/// </summary>
/// <remarks>
/// Symlinks are restored as they were stored (relative or absolute, pointing anywhere), as tar and restic do, and
/// are never followed: a file replaces a link by rename, a directory never replaces one, and an entry whose path
/// passes through a link is refused (<see cref="SafeTargetPath"/>). With <c>skipExternalSymlinks</c> a link that points
/// outside the restore directory is left out and counted in <see cref="SkippedSymlinks"/>.
/// </remarks>
internal sealed class EntryExtractor(SafeTargetPath paths, bool overwrite, bool skipExternalSymlinks, HashAlgorithmName? fileHash = null)
{
    /// <summary>The files' hash: SHA-256, or SHA-512 for the Python seed's runs.</summary>
    private readonly HashAlgorithmName _fileHash = fileHash ?? HashAlgorithmName.SHA256;

    private const int CopyBufferSize = 1 << 20;

    /// <summary>One copy buffer for the whole restore, not one per file (20,000 small files must not mean 20 GB of garbage).</summary>
    private readonly byte[] _copyBuffer = GC.AllocateUninitializedArray<byte>(CopyBufferSize);

    private readonly List<(string Path, EntryMetadata Metadata)> _directories = [];

    /// <summary>One hash object for the whole restore (each file's hash ends with GetHashAndReset).</summary>
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(fileHash ?? HashAlgorithmName.SHA256);

    /// <summary>
    /// Temporary names: a random prefix per restore (two restores into one directory never collide) and a counter,
    /// instead of a new GUID per file.
    /// </summary>
    private readonly string _tempPrefix = $".agpart-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-";
    private long _tempCount;

    /// <summary>The parent directory created last: files arrive directory by directory, so most need no mkdir.</summary>
    private string? _lastParent;
    private readonly List<string> _skippedSymlinks = [];

    /// <summary>The entry names of symlinks left out because they point outside the restore directory.</summary>
    public IReadOnlyList<string> SkippedSymlinks => _skippedSymlinks;

    /// <summary>Extracts one entry and returns the SHA-256 (hex) of a regular file's content, else null.</summary>
    /// <exception cref="UnsafeEntryException">The entry would land outside the restore directory.</exception>
    /// <exception cref="RestoreEntryException">The entry cannot be restored (exists, unsupported type, …).</exception>
    public Task<string?> ExtractAsync(TarEntry entry, string? expectedHash, CancellationToken cancellationToken) =>
        ExtractAsync(entry, expectedHash, EntryMetadata.Of(entry), cancellationToken);

    /// <summary>Extracts one entry, giving it <paramref name="metadata"/>'s mode and mtime instead of the tar header's.</summary>
    public async Task<string?> ExtractAsync(TarEntry entry, string? expectedHash, EntryMetadata metadata, CancellationToken cancellationToken)
    {
        var target = paths.Resolve(entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                return await WriteFileAsync(entry, target, expectedHash, metadata, cancellationToken).ConfigureAwait(false);
            case TarEntryType.SymbolicLink:
                CreateSymlink(entry, target);
                return null;
            case TarEntryType.Directory:
                CreateDirectory(target, metadata);
                return null;
            default:
                throw new RestoreEntryException($"'{entry.Name}' is a {entry.EntryType} entry, which restore does not create");
        }
    }

    /// <summary>Sets directory modes and mtimes, deepest first.</summary>
    public void ApplyDirectoryMetadata()
    {
        foreach (var (path, metadata) in _directories.OrderByDescending(d => d.Path.Length))
        {
            SetMode(path, metadata.Mode);
            Directory.SetLastWriteTimeUtc(path, metadata.ModifiedUtc);
        }
    }

    private async Task<string> WriteFileAsync(TarEntry entry, string target, string? expectedHash, EntryMetadata metadata,
        CancellationToken cancellationToken)
    {
        PrepareParent(entry, target);
        // Short on purpose: the final name may already be near the 255-byte limit.
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $"{_tempPrefix}{++_tempCount}");
        var renamed = false;
        try
        {
            string hash;
            using (var output = RestoredFile.Create(temp))
            {
                hash = await CopyContentAsync(entry, output, cancellationToken).ConfigureAwait(false);
                if (expectedHash is not null && !string.Equals(hash, expectedHash, StringComparison.Ordinal))
                {
                    throw new RestoreEntryException($"'{entry.Name}' has {_fileHash.Name} {hash}, the log says {expectedHash}; it was not restored");
                }
                output.Seal(metadata);
            }
            RestoredFile.Rename(temp, target, overwrite);
            renamed = true;
            return hash;
        }
        finally
        {
            if (!renamed) { File.Delete(temp); }
        }
    }

    /// <summary>
    /// Copies the entry's content into <paramref name="output"/> and returns its hash (hex). Synchronous writes on
    /// purpose: .NET runs every async file write on Unix as a thread-pool work item, and 20,000 small files meant
    /// ~800,000 sched_yield calls of spinning pool threads competing with the decoder threads.
    /// </summary>
    private async Task<string> CopyContentAsync(TarEntry entry, RestoredFile output, CancellationToken cancellationToken)
    {
        if (entry.DataStream is { } data)
        {
            var buffer = _copyBuffer;
            int read;
            while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                _hash.AppendData(buffer, 0, read);
                output.Write(buffer.AsSpan(0, read));
            }
        }
        // No fsync per file: like tar -x, a restore is re-runnable, and fsyncing 20,000 small files costs minutes.
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    private void CreateSymlink(TarEntry entry, string target)
    {
        if (skipExternalSymlinks && !paths.LinkStaysInside(target, entry.LinkName))
        {
            _skippedSymlinks.Add(entry.Name);
            return;
        }
        PrepareParent(entry, target);
        File.CreateSymbolicLink(target, entry.LinkName);
    }

    private void CreateDirectory(string target, EntryMetadata metadata)
    {
        var existing = UnixFileInfo.Get(target).Kind;
        if (existing is not (FileKind.Missing or FileKind.Directory))
        {
            throw new RestoreEntryException($"'{target}' exists and is not a directory");
        }
        Directory.CreateDirectory(target);
        _directories.Add((target, metadata));
    }

    /// <summary>Creates the parent directory and clears the way for the entry (only when overwriting is allowed).</summary>
    private void PrepareParent(TarEntry entry, string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        if (!string.Equals(parent, _lastParent, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(parent);
            _lastParent = parent;
        }
        var existing = UnixFileInfo.Get(target).Kind;
        if (existing == FileKind.Missing) { return; }
        if (!overwrite)
        {
            throw new RestoreEntryException($"'{target}' already exists; restore into an empty directory or pass --overwrite");
        }
        if (existing == FileKind.Directory)
        {
            throw new RestoreEntryException($"'{target}' is a directory; cannot replace it with '{entry.Name}'");
        }
        if (entry.EntryType == TarEntryType.SymbolicLink) { File.Delete(target); }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) { File.SetUnixFileMode(path, mode); }
    }
}

/// <summary>One entry could not be restored; the restore goes on and ends with an error listing it.</summary>
internal sealed class RestoreEntryException : AutoGlacierException
{
    /// <inheritdoc />
    public RestoreEntryException(string message) : base(message) { }
    /// <inheritdoc />
    public RestoreEntryException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public RestoreEntryException() { }
}
