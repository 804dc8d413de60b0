using System.Text.Json;
using AutoGlacier.Hashing;

namespace AutoGlacier.Vaults.Local;

/// <summary>
/// One upload into a local vault: bytes go to a hidden temp file and are hashed on the way; completing fsyncs,
/// publishes the metadata, then renames the data into place (the commit point). Disposing before that deletes the
/// temp file.
/// </summary>
internal sealed class LocalArchiveUpload : IArchiveUpload
{
    private readonly LocalVaultLayout _layout;
    private readonly string _archiveId;
    private readonly ArchiveUploadInfo _info;
    private readonly string _tempDataPath;
    private readonly FileStream _file;
    private readonly ArchiveHashingStream _content;
    private bool _completeStarted;
    private bool _committed;

    public LocalArchiveUpload(LocalVaultLayout layout, string archiveId, ArchiveUploadInfo info)
    {
        _layout = layout;
        _archiveId = archiveId;
        _info = info;
        _tempDataPath = layout.UploadTempPath(archiveId, info.RunKey);
        _file = new FileStream(_tempDataPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        });

        // The upload owns the file, so a caller disposing Content early cannot break CompleteAsync.
        _content = new ArchiveHashingStream(_file, leaveOpen: true);
    }

    public Stream Content => _content;

    public async Task<StoredArchive> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completeStarted)
        {
            throw new InvalidOperationException($"Upload of archive {_archiveId} was already completed or aborted.");
        }

        _completeStarted = true;
        cancellationToken.ThrowIfCancellationRequested();
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
        long size = _file.Length;
        var (sha256, treeHash) = _content.GetHashes();
        await _content.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);

        var metadata = new LocalArchiveMetadata(LocalArchiveMetadata.CurrentFormatVersion, _archiveId, _info.RunKey,
            _info.Description, size, DateTimeOffset.UtcNow, sha256, treeHash) { Kind = _info.Kind };
        await PublishMetadataAsync(metadata, cancellationToken).ConfigureAwait(false);
        CommitData();
        DirectorySync.Flush(_layout.ArchivesDirectory);
        return new StoredArchive(_archiveId, size, _layout.DataPath(_archiveId));
    }

    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }

        await _content.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        File.Delete(_tempDataPath);
        _completeStarted = true;
    }

    /// <summary>Writes the metadata to a temp file, fsyncs it and renames it into place (never over another).</summary>
    private async Task PublishMetadataAsync(LocalArchiveMetadata metadata, CancellationToken cancellationToken)
    {
        string tempPath = _layout.TempPath(_archiveId, purpose: "", LocalVaultLayout.MetadataExtension);
        try
        {
            var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, metadata, LocalVaultJsonContext.Default.LocalArchiveMetadata, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, _layout.MetadataPath(_archiveId), overwrite: false);
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    /// <summary>The commit point: from this rename on, the archive exists. Undoes the metadata if it fails.</summary>
    private void CommitData()
    {
        try
        {
            File.Move(_tempDataPath, _layout.DataPath(_archiveId), overwrite: false);
            _committed = true;
        }
        catch
        {
            File.Delete(_layout.MetadataPath(_archiveId));
            throw;
        }
    }
}
