using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AutoGlacier.Vaults.Local;

/// <summary>
/// A vault in a local directory (the default backend). Writes are atomic (temp file, fsync, rename); ids are never
/// reused; archives are always ready to read.
/// </summary>
/// <remarks>
/// <para>Layout: <c>&lt;directory&gt;/archives/&lt;id&gt;.agc</c> holds the archive bytes and
/// <c>&lt;directory&gt;/archives/&lt;id&gt;.json</c> its metadata (run key, description, size, created time,
/// SHA-256, tree hash, and <c>"kind": "Catalog"</c> for a run's snapshot catalog, which lives beside the archives). Uploads in progress are hidden <c>.tmp-…</c> files in the same directory.</para>
/// <para>Atomicity: completing an upload fsyncs the data, writes the metadata through its own temp file + fsync +
/// rename, and only then renames the data into place, and fsyncs the directory. The data file is the commit record:
/// an archive exists exactly when <c>&lt;id&gt;.agc</c> exists, and by then its metadata is already there. A crash
/// earlier leaves only hidden temp files or a small orphan <c>.json</c>, neither of which is ever listed or opened.
/// Deleting reverses the order: the data is renamed away first (so two concurrent deletes cannot both succeed),
/// then the metadata and the renamed data are removed.</para>
/// <para>Ids are <c>yyyyMMddTHHmmssfffZ-</c> + 16 random hex digits, and are checked (letters, digits, '-', '_'
/// only) before any path is built, so an id from a hostile log cannot leave the directory.</para>
/// </remarks>
internal sealed class LocalVault : IVault
{
    private readonly LocalVaultLayout _layout;

    /// <summary>Opens (creating if needed) a local vault in <paramref name="directory"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public LocalVault(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _layout = new LocalVaultLayout(directory);
        Directory.CreateDirectory(_layout.ArchivesDirectory);
    }

    /// <inheritdoc />
    public string BackendName => "local";

    /// <inheritdoc />
    /// <remarks>Readable at once, written in one step (nothing to resume), no minimum storage duration.</remarks>
    public VaultCapabilities Capabilities => StorageCapabilities;

    /// <summary>The local vault's capabilities: none of the cold-storage ones.</summary>
    internal static VaultCapabilities StorageCapabilities { get; } = new() { StorageName = "local vault" };

    /// <inheritdoc />
    /// <remarks>The vault directory as a full path.</remarks>
    public string Location => _layout.Root;

    /// <inheritdoc />
    public Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IArchiveUpload>(new LocalArchiveUpload(_layout, NewUnusedId(), info));
    }

    /// <inheritdoc />
    /// <remarks>Local archives are always ready: the state has no token.</remarks>
    /// <exception cref="ArchiveNotFoundException">No archive has that id.</exception>
    /// <exception cref="ArgumentException">The id is malformed (could name a path outside the vault).</exception>
    public Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken)
    {
        string path = _layout.DataPath(archiveId);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            throw NotFound(archiveId);
        }

        return Task.FromResult(new RetrievalState(IsReady: true, Token: null, $"ready: local archive {path}"));
    }

    /// <inheritdoc />
    /// <remarks>Returns a read-only <see cref="FileStream"/> positioned at <paramref name="offset"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative or beyond the archive's size.</exception>
    /// <exception cref="ArgumentException">The id is malformed (could name a path outside the vault).</exception>
    public Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken)
    {
        string path = _layout.DataPath(archiveId);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        FileStream stream = OpenData(archiveId, path);
        try
        {
            if (offset > stream.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Archive {archiveId} has only {stream.Length} bytes.");
            }

            stream.Position = offset;
            return Task.FromResult<Stream>(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Ordered by id, which is creation order. Temp files and files that are not archives are skipped.</remarks>
    public async IAsyncEnumerable<VaultArchive> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dataFiles = Directory.EnumerateFiles(_layout.ArchivesDirectory, "*" + LocalVaultLayout.DataExtension)
            .Select(path => (Path: path, Id: LocalVaultLayout.ArchiveIdOf(path)))
            .Where(file => file.Id is not null)
            .OrderBy(file => file.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var (path, id) in dataFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            VaultArchive? archive = await DescribeAsync(id!, path, cancellationToken).ConfigureAwait(false);
            if (archive is not null)
            {
                yield return archive;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The id is malformed (could name a path outside the vault).</exception>
    public Task DeleteAsync(string archiveId, CancellationToken cancellationToken)
    {
        string dataPath = _layout.DataPath(archiveId);
        cancellationToken.ThrowIfCancellationRequested();
        string doomed = _layout.TempPath(archiveId, purpose: "deleting-", LocalVaultLayout.DataExtension);
        try
        {
            // Renaming is atomic: the archive disappears at once, and only one of two racing deletes wins.
            File.Move(dataPath, doomed, overwrite: false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(archiveId, e);
        }

        File.Delete(_layout.MetadataPath(archiveId));
        File.Delete(doomed);
        DirectorySync.Flush(_layout.ArchivesDirectory);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deletes temp files (uploads or deletes cut short by a crash) not written to for <paramref name="olderThan"/>.
    /// They are never listed, but can be as large as an archive.
    /// </summary>
    /// <remarks>
    /// Choose an age no live upload reaches between two writes (a day is safe); an upload whose temp file is removed
    /// fails at completion instead of storing a partial archive.
    /// </remarks>
    /// <returns>How many files were deleted.</returns>
    public int RemoveStaleTempFiles(TimeSpan olderThan)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(olderThan, TimeSpan.Zero);
        DateTime cutoff = DateTime.UtcNow - olderThan;
        int removed = 0;
        foreach (string path in Directory.EnumerateFiles(_layout.ArchivesDirectory, LocalVaultLayout.TempPrefix + "*"))
        {
            if (File.GetLastWriteTimeUtc(path) < cutoff)
            {
                File.Delete(path);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Deletes the temporary archive data a run's upload left behind (its process was killed before completing), and
    /// returns how many bytes that freed. Call it only for a run whose process is gone: a live upload loses its data.
    /// </summary>
    public long RemoveTemporaryArchivesOf(string runKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(runKey);
        long freed = 0;
        foreach (string path in _layout.UploadTempFiles(runKey))
        {
            freed += new FileInfo(path).Length;
            File.Delete(path);
        }

        return freed;
    }

    private string NewUnusedId()
    {
        while (true)
        {
            string id = LocalArchiveId.New(DateTimeOffset.UtcNow);
            if (!File.Exists(_layout.DataPath(id)) && !File.Exists(_layout.MetadataPath(id)))
            {
                return id;
            }
        }
    }

    private FileStream OpenData(string archiveId, string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(archiveId, e);
        }
    }

    /// <summary>Builds the listing entry; metadata that is missing or unreadable falls back to what the file says.</summary>
    private static async Task<VaultArchive?> DescribeAsync(string id, string dataPath, CancellationToken cancellationToken)
    {
        var data = new FileInfo(dataPath);
        if (!data.Exists)
        {
            return null; // deleted while listing
        }

        LocalArchiveMetadata? metadata = await ReadMetadataAsync(Path.ChangeExtension(dataPath, LocalVaultLayout.MetadataExtension), cancellationToken).ConfigureAwait(false);
        return new VaultArchive(id, data.Length, metadata?.RunKey, metadata?.Description,
            metadata?.CreatedAt ?? new DateTimeOffset(data.LastWriteTimeUtc, TimeSpan.Zero))
        {
            Kind = metadata?.Kind ?? VaultObjectKind.Archive,
        };
    }

    private static async Task<LocalArchiveMetadata?> ReadMetadataAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            byte[] json = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(json, LocalVaultJsonContext.Default.LocalArchiveMetadata);
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            return null;
        }
    }

    private ArchiveNotFoundException NotFound(string archiveId, Exception? inner = null)
    {
        string message = $"No archive '{archiveId}' in the local vault at '{Location}'. It may have been deleted, or the log refers to another vault directory.";
        return inner is null ? new ArchiveNotFoundException(message) : new ArchiveNotFoundException(message, inner);
    }
}
