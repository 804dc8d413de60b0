using AutoGlacier.Streams;
using Microsoft.Win32.SafeHandles;

namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// The encrypted archive on local disk (TMP_DIR) while it is uploaded: parts are read back from here, and after a
/// crash the upload resumes from it. Owner-only; written and read by offset (no shared file position).
/// </summary>
internal sealed class ArchiveSpool : IDisposable
{
    private readonly FileStream _file;

    private ArchiveSpool(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    /// <summary>Full path of the spool file.</summary>
    public string Path { get; }

    /// <summary>Bytes written (or, for an opened spool, its length).</summary>
    public long Length { get; private set; }

    private SafeFileHandle Handle => _file.SafeFileHandle;

    /// <summary>The spool file name of a run: one per run, so a resume finds it from the run key alone.</summary>
    public static string PathFor(string directory, string runKey) =>
        System.IO.Path.Combine(directory, $"autoglacier-{runKey}.spool");

    /// <summary>Creates a new, empty spool for a run (fails if one exists: it may hold an unfinished upload).</summary>
    public static ArchiveSpool Create(string directory, string runKey)
    {
        string path = PathFor(directory, runKey);
        try
        {
            Directory.CreateDirectory(directory);
            return new ArchiveSpool(new FileStream(path, NewFileOptions.Create(FileAccess.ReadWrite, 0, NewFileOptions.Private)), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AutoGlacierException($"Cannot create the upload spool {path} in TMP_DIR: {ex.Message}. " +
                "Point TMP_DIR at a writable disk with room for one archive, or set SPOOL_ARCHIVE to false (no resume).", ex);
        }
    }

    /// <summary>Opens an existing spool for a resume.</summary>
    public static ArchiveSpool Open(string path)
    {
        var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0 });
        return new ArchiveSpool(file, path) { Length = file.Length };
    }

    /// <summary>Appends bytes at the end.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(Handle, data, Length, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw DiskError(ex);
        }

        Length += data.Length;
    }

    /// <summary>The synchronous twin of <see cref="AppendAsync"/>.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        try
        {
            RandomAccess.Write(Handle, data, Length);
        }
        catch (IOException ex)
        {
            throw DiskError(ex);
        }

        Length += data.Length;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>.</summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await RandomAccess.ReadAsync(Handle, buffer, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new SpoolDamagedException($"The upload spool {Path} ends at {offset} bytes, before the archive does; it was truncated.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Makes the written bytes durable: only a durable spool may be promised as resumable.</summary>
    public void FlushToDisk() => _file.Flush(flushToDisk: true);

    /// <summary>Closes and deletes the spool, best effort: a spool that cannot be removed (read-only TMP_DIR) must not turn a stored archive into a failed run.</summary>
    public void Delete()
    {
        _file.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind; it names its run, and a later resume finds the run finished and ignores it.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private AutoGlacierException DiskError(IOException ex) =>
        new($"Writing the upload spool {Path} failed after {Length} bytes: {ex.Message}. The spool needs room for the whole " +
            "encrypted archive: free space in TMP_DIR, point TMP_DIR elsewhere, or set SPOOL_ARCHIVE to false (no resume).", ex);
}
