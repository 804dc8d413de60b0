using System.Collections.Concurrent;
using AutoGlacier.Hashing;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Cuts the archive stream into PART_SIZE_MB parts as it is written. An archive that fits one part goes up with
/// UploadArchive; otherwise the first overflow initiates a multipart upload and each full part is hashed and
/// uploaded in the background, at most UPLOAD_CONCURRENCY at once (so memory is about part size ×
/// (concurrency + 1)). The archive tree hash is combined from the part tree hashes; nothing is read twice.
/// </summary>
internal sealed class GlacierArchiveUpload : IArchiveUpload
{
    private readonly GlacierClient _client;
    private readonly GlacierSettings _settings;
    private readonly ArchiveUploadInfo _info;
    private readonly Action _onStored;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<byte[]> _freeBuffers = [];
    private readonly ConcurrentDictionary<int, byte[]> _partTreeHashes = new();
    private readonly List<Task> _inFlight = [];
    private readonly CancellationTokenSource _abort = new();
    private byte[]? _current;
    private int _fill;
    private int _nextPart;
    private long _total;
    private string? _uploadId;
    private Exception? _failure;
    private bool _completed;

    public GlacierArchiveUpload(GlacierClient client, ArchiveUploadInfo info, Action onStored)
    {
        _client = client;
        _settings = client.Settings;
        _info = info;
        _onStored = onStored;
        _slots = new SemaphoreSlim(Math.Max(1, _settings.UploadConcurrency));
        Content = new UploadContentStream(this);
    }

    public Stream Content { get; }

    public async Task<StoredArchive> CompleteAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        (string archiveId, string location) = _uploadId is null
            ? await UploadSingleAsync(cancellationToken).ConfigureAwait(false)
            : await CompleteMultipartAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        _onStored();
        return new StoredArchive(archiveId, _total, location);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await WaitQuietlyAsync().ConfigureAwait(false);
            await AbortQuietlyAsync().ConfigureAwait(false);
        }

        _current = null;
        _freeBuffers.Clear();
        _abort.Dispose();
        _slots.Dispose();
    }

    /// <summary>Copies bytes into the current part, sending each part once the next byte shows it is not the last.</summary>
    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        while (!data.IsEmpty)
        {
            _current ??= RentBuffer();
            if (_fill == _current.Length)
            {
                await SendCurrentPartAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            int take = Math.Min(_current.Length - _fill, data.Length);
            data[..take].CopyTo(_current.AsMemory(_fill));
            _fill += take;
            _total += take;
            data = data[take..];
        }
    }

    /// <summary>The synchronous twin of <see cref="WriteAsync"/> (spans cannot cross an await).</summary>
    internal void Write(ReadOnlySpan<byte> data)
    {
        ThrowIfFailed();
        while (!data.IsEmpty)
        {
            _current ??= RentBuffer();
            if (_fill == _current.Length)
            {
                SendCurrentPartAsync(CancellationToken.None).GetAwaiter().GetResult();
                continue;
            }

            int take = Math.Min(_current.Length - _fill, data.Length);
            data[..take].CopyTo(_current.AsSpan(_fill));
            _fill += take;
            _total += take;
            data = data[take..];
        }
    }

    private async Task SendCurrentPartAsync(CancellationToken cancellationToken)
    {
        if (_nextPart >= _settings.MaxParts)
        {
            throw PartLimitExceededException.For(_settings);
        }

        _uploadId ??= await _client.InitiateMultipartUploadAsync(_settings.PartSize, Description(empty: false), cancellationToken).ConfigureAwait(false);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfFailed();
        (byte[] buffer, int length, int index) = (_current!, _fill, _nextPart++);
        _current = null;
        _fill = 0;
        _inFlight.Add(Task.Run(() => UploadPartAsync(buffer, length, index), CancellationToken.None));
    }

    private async Task UploadPartAsync(byte[] buffer, int length, int index)
    {
        try
        {
            long start = index * _settings.PartSize;
            var call = new GlacierCall("UploadMultipartPart", $"part {index + 1} (bytes {start}-{start + length - 1}) of upload {_uploadId}");
            PartHashes hashes = PartHashes.Compute(buffer.AsSpan(0, length));
            await _client.UploadPartAsync(_uploadId!, start, buffer.AsMemory(0, length), hashes, call, _abort.Token).ConfigureAwait(false);
            _partTreeHashes[index] = hashes.TreeHash;
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
        finally
        {
            _freeBuffers.Add(buffer);
            _slots.Release();
        }
    }

    private async Task<(string ArchiveId, string Location)> UploadSingleAsync(CancellationToken cancellationToken)
    {
        // Glacier stores at least one byte: an empty archive is one placeholder byte, flagged in the description.
        bool empty = _fill == 0;
        ReadOnlyMemory<byte> data = empty ? new byte[1] : _current.AsMemory(0, _fill);
        PartHashes hashes = PartHashes.Compute(data.Span);
        return await _client.UploadArchiveAsync(data, hashes, Description(empty), cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string ArchiveId, string Location)> CompleteMultipartAsync(CancellationToken cancellationToken)
    {
        await SendCurrentPartAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_inFlight).ConfigureAwait(false);
        ThrowIfFailed();
        byte[][] ordered = Enumerable.Range(0, _nextPart).Select(i => _partTreeHashes[i]).ToArray();
        string treeHash = Convert.ToHexStringLower(TreeHash.Combine(ordered, _settings.PartSize, _total));
        return await _client.CompleteMultipartUploadAsync(_uploadId!, _total, treeHash, cancellationToken).ConfigureAwait(false);
    }

    private string Description(bool empty) => ArchiveDescriptionCodec.Encode(_info.RunKey, _info.Description, empty);

    private byte[] RentBuffer() => _freeBuffers.TryTake(out byte[]? buffer) ? buffer : new byte[_settings.PartSize];

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure is AutoGlacierException
                ? failure
                : new AutoGlacierException($"Uploading to Glacier vault '{_settings.VaultName}' failed: {failure.Message}", failure);
        }
    }

    private async Task WaitQuietlyAsync()
    {
        try
        {
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Parts record their own failures; an abandoned upload only needs them finished.
        }
    }

    private async Task AbortQuietlyAsync()
    {
        if (_uploadId is null)
        {
            return;
        }

        try
        {
            await _client.AbortMultipartUploadAsync(_uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (GlacierServiceException)
        {
            // Best effort: Glacier drops idle uploads after 24 h anyway.
        }
    }
}
