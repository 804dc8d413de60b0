namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// An upload without a spool: the archive is cut into parts in memory as it is written, full parts go up in the
/// background (memory about part size × (concurrency + 1)), and an archive that fits one part is stored with one
/// request. Nothing survives the process, so there is no resume: an interrupted upload is aborted.
/// </summary>
internal sealed class BufferedArchiveUpload : IArchiveUpload
{
    private readonly IMultipartBackend _backend;
    private readonly ArchiveUploadInfo _info;
    private readonly string _target;
    private readonly PartBuffers _buffers;
    private readonly PartSender _sender;
    private readonly PartBufferStream _stream;
    private int _partsSent;
    private bool _completed;
    private bool _disposed;

    public BufferedArchiveUpload(IMultipartBackend backend, ArchiveUploadInfo info)
    {
        _backend = backend;
        _info = info;
        _target = backend.NewTarget(info);
        _buffers = new PartBuffers(backend.PartSize);
        _sender = new PartSender(backend, info, _target, ticket: null);
        _stream = new PartBufferStream(_buffers.PartSize, SendFullAsync, _buffers.Rent);
    }

    public Stream Content => _stream;

    public async Task<StoredArchive> CompleteAsync(CancellationToken cancellationToken)
    {
        _sender.ThrowIfFailed();
        (byte[] last, int length) = _stream.Finish();
        StoredArchive stored;
        if (!_stream.SentAny)
        {
            stored = await _backend.PutWholeAsync(_target, _info, last.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (length > 0)
            {
                await SendFullAsync(last, length, cancellationToken).ConfigureAwait(false);
            }

            IReadOnlyList<UploadedPart> parts = await _sender.FinishAsync(_partsSent).ConfigureAwait(false);
            stored = await _backend.CompleteAsync(_sender.Ticket!, parts, _stream.Written, cancellationToken).ConfigureAwait(false);
        }

        _completed = true;
        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        await _sender.DisposeAsync().ConfigureAwait(false);
        if (!_completed && _sender.Ticket is { } ticket)
        {
            await UploadAbort.QuietlyAsync(_backend, ticket).ConfigureAwait(false);
        }
    }

    private async Task SendFullAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        await _sender.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        await _sender.SendAsync(_partsSent++, buffer, length, _buffers.Return, cancellationToken).ConfigureAwait(false);
    }
}
