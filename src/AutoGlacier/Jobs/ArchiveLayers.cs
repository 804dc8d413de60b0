using AutoGlacier.Streams;
using AutoGlacier.Archive.Tar;
using AutoGlacier.Compression;
using AutoGlacier.Encryption;
using AutoGlacier.Hashing;
using AutoGlacier.Vaults;

namespace AutoGlacier;

/// <summary>
/// The byte path under the tar writer: tar → compress → encrypt → hash → vault upload. Opened from the vault end
/// (each layer writes into the one below it) and sealed from the tar end, so each layer's last bytes reach the next.
/// Disposing closes whatever is still open from the top down, as nested <c>await using</c> blocks would, and an
/// upload that was never completed is aborted by its own disposal.
/// </summary>
internal sealed class ArchiveLayers : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _open;
    private readonly IArchiveUpload _upload;
    private readonly ArchiveHashingStream _hashing;
    private readonly CountingStream _tarBytes;
    private readonly Stream _compressor;

    private ArchiveLayers(Stack<IAsyncDisposable> open, IArchiveUpload upload, ArchiveHashingStream hashing, Stream compressor, CountingStream tarBytes,
        ArchiveTarWriter tar) =>
        (_open, _upload, _hashing, _compressor, _tarBytes, Tar) = (open, upload, hashing, compressor, tarBytes, tar);

    /// <summary>Where gathered entries go.</summary>
    public ArchiveTarWriter Tar { get; }

    /// <summary>Bytes of the tar stream written so far: the offset the next entry's first header starts at.</summary>
    public long TarOffset => _tarBytes.BytesWritten;

    /// <summary>The compressed stream's independently decodable blocks, once sealed, where the codec writes such blocks (lzma).</summary>
    public BlockMap? Blocks => (_compressor as IBlockMapped)?.Blocks;

    /// <summary>Archive bytes (encrypted, as stored) written so far.</summary>
    public long ArchiveBytes => _hashing.BytesHashed;

    /// <summary>Begins the upload and stacks the layers on it, bottom up.</summary>
    public static async Task<ArchiveLayers> OpenAsync(IVault vault, ArchiveUploadInfo info, IReadOnlyList<RecipientKey> recipients,
        ICompressionCodec codec, CancellationToken cancellationToken)
    {
        var open = new Stack<IAsyncDisposable>();
        try
        {
            var upload = Push(open, await vault.BeginUploadAsync(info, cancellationToken).ConfigureAwait(false));
            var hashing = Push(open, new ArchiveHashingStream(upload.Content, leaveOpen: true));
            var encryptor = Push(open, ArchiveEncryption.CreateEncryptor(hashing, recipients, leaveOpen: true));
            var compressor = Push(open, codec.CreateCompressor(encryptor, leaveOpen: true));
            var tarBytes = new CountingStream(compressor);
            var tar = Push(open, new ArchiveTarWriter(tarBytes));
            return new ArchiveLayers(open, upload, hashing, compressor, tarBytes, tar);
        }
        catch
        {
            await CloseAllAsync(open).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Ends the tar, the compressed stream and the encrypted container (their last bytes flow down into the hasher),
    /// and returns the archive's facts. The upload is still open: <see cref="CompleteUploadAsync"/> stores it.
    /// </summary>
    public async Task<ArchiveFacts> SealAsync(CancellationToken cancellationToken)
    {
        while (_open.Peek() != _hashing)
        {
            await _open.Pop().DisposeAsync().ConfigureAwait(false);
        }
        await _hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _open.Pop().DisposeAsync().ConfigureAwait(false);
        var (sha256, treeHash) = _hashing.GetHashes();
        return new ArchiveFacts(sha256, treeHash, _hashing.BytesHashed, _tarBytes.BytesWritten) { Blocks = Blocks };
    }

    /// <summary>Has the vault store the sealed archive. Only after this does the archive exist.</summary>
    public Task<StoredArchive> CompleteUploadAsync(CancellationToken cancellationToken) => _upload.CompleteAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => CloseAllAsync(_open);

    private static T Push<T>(Stack<IAsyncDisposable> open, T layer) where T : IAsyncDisposable
    {
        open.Push(layer);
        return layer;
    }

    /// <summary>Closes from the top down; every layer is closed even when one above it throws (the last error wins, as with nested usings).</summary>
    private static async ValueTask CloseAllAsync(Stack<IAsyncDisposable> open)
    {
        if (!open.TryPop(out IAsyncDisposable? top)) { return; }
        try
        {
            await top.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await CloseAllAsync(open).ConfigureAwait(false);
        }
    }
}
