using System.Threading.Channels;
using AutoGlacier.Streams;

namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// An upload through a spool file: the archive is written to TMP_DIR at the pipeline's own pace, and a background pump
/// reads each finished part back and sends it (at most Concurrency parts, so memory stays part size × concurrency).
/// Once the archive is complete and durable on disk the journal is told, so from then on a crash or a failed upload is
/// resumable (<see cref="UploadResumer"/>). The spool is deleted after a successful upload and after an archive that
/// never completed; it is kept only when there is something to resume.
/// </summary>
internal sealed class SpooledArchiveUpload : IArchiveUpload
{
    private readonly IMultipartBackend _backend;
    private readonly ArchiveUploadInfo _info;
    private readonly string _target;
    private readonly ArchiveSpool _spool;
    private readonly PartBuffers _buffers;
    private readonly PartSender _sender;
    private readonly Channel<long> _available = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task<int> _pump;
    private long _announced;
    private volatile bool _archiveComplete;
    private bool _paused;
    private volatile bool _stopping;
    private bool _resumable;
    private bool _completed;
    private bool _disposed;

    public SpooledArchiveUpload(IMultipartBackend backend, ArchiveUploadInfo info, string spoolDirectory)
    {
        _backend = backend;
        _info = info;
        _target = backend.NewTarget(info);
        _spool = ArchiveSpool.Create(spoolDirectory, info.RunKey);
        _buffers = new PartBuffers(backend.PartSize);
        _sender = new PartSender(backend, info, _target, ticket: null);
        Content = new SpoolStream(this);
        _pump = Task.Run(PumpAsync);
    }

    public Stream Content { get; }

    /// <summary>
    /// Seals the spool (durable on disk, journal told), waits for the parts and completes. If the upload fails from
    /// here on, the spool and the upload are kept: the failure says to resume.
    /// </summary>
    public async Task<StoredArchive> CompleteAsync(CancellationToken cancellationToken)
    {
        _spool.FlushToDisk();
        _archiveComplete = true;
        _available.Writer.TryComplete();
        if (_info.Journal is { } journal)
        {
            await journal.SpoolSealedAsync(_spool.Path, _spool.Length, cancellationToken).ConfigureAwait(false);
        }

        _resumable = true; // The log now points at the spool: from here on a failure keeps it for a resume.

        try
        {
            // Cancelling (Ctrl-C) stops the parts still to send; the spool keeps them for the resume.
            using CancellationTokenRegistration stop = cancellationToken.Register(StopSending);
            StoredArchive stored = await FinishUploadAsync(cancellationToken).ConfigureAwait(false);
            _completed = true;
            return stored;
        }
#pragma warning disable CA1031 // Whatever stopped it, the log points at the complete spool: the run is resumable, never just "failed".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new UploadInterruptedException(
                $"The upload of run {_info.RunKey} stopped: {ex.Message} The archive is complete in {_spool.Path}; " +
                "run 'autoglacier resume --config FILE' (or the job again) to finish it.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Stop the pump before the sender: the pump is the only caller of SendAsync, so once it has ended nothing
        // races the sender's disposal.
        StopSending();
        _available.Writer.TryComplete();
        await IgnoreFailureAsync(_pump).ConfigureAwait(false);
        await _sender.DisposeAsync().ConfigureAwait(false);
        if (_completed || !_resumable)
        {
            // Stored, or nothing the log could resume: neither the spool nor the upload is needed.
            if (!_completed && _sender.Ticket is { } ticket)
            {
                await UploadAbort.QuietlyAsync(_backend, ticket).ConfigureAwait(false);
            }

            _spool.Delete();
        }
        else
        {
            _spool.Dispose();
        }
    }

    private void StopSending()
    {
        _stopping = true;
        _sender.CancelInFlight();
    }

    private async Task<StoredArchive> FinishUploadAsync(CancellationToken cancellationToken)
    {
        int parts = await _pump.ConfigureAwait(false);
        long partSize = _backend.PartSize;
        int expected = parts == 0 && _spool.Length <= partSize ? 0 : checked((int)((_spool.Length + partSize - 1) / partSize));
        if (parts != expected)
        {
            // Never complete an archive from fewer parts than the spool holds.
            throw new InvalidOperationException($"The upload pump sent {parts} parts of {expected}.");
        }

        if (parts == 0)
        {
            byte[] whole = new byte[_spool.Length];
            await _spool.ReadExactlyAsync(whole, 0, cancellationToken).ConfigureAwait(false);
            await TellCompletingAsync(_target, cancellationToken).ConfigureAwait(false);
            return await _backend.PutWholeAsync(_target, _info, whole, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<UploadedPart> uploaded = await _sender.FinishAsync(parts).ConfigureAwait(false);
        await TellCompletingAsync(_sender.Ticket!.Target, cancellationToken).ConfigureAwait(false);
        return await _backend.CompleteAsync(_sender.Ticket!, uploaded, _spool.Length, cancellationToken).ConfigureAwait(false);
    }

    private Task TellCompletingAsync(string target, CancellationToken cancellationToken) =>
        _info.Journal?.CompletingAsync(target, cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Sends each part once the spool holds more than its end (so it is not the only part); at the end sends the rest.
    /// Returns the number of parts sent (0 when the archive fits one part and goes up whole).
    /// </summary>
    private async Task<int> PumpAsync()
    {
        int next = 0;
        long partSize = _backend.PartSize;
        await foreach (long available in _available.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            while (!_paused && !_stopping && available > (next + 1) * partSize)
            {
                await SendOrPauseAsync(next++, partSize).ConfigureAwait(false);
            }
        }

        ThrowIfStopping();
        _sender.ThrowIfFailed(); // Paused by a part failure: CompleteAsync reports it as resumable.
        long total = _spool.Length;
        if (!_archiveComplete || (next == 0 && total <= partSize))
        {
            return 0; // Abandoned (only disposal waits for this), or one part: CompleteAsync stores it whole.
        }

        for (; next * partSize < total; next++)
        {
            ThrowIfStopping();
            await SendFromSpoolAsync(next, Math.Min(partSize, total - (next * partSize))).ConfigureAwait(false);
        }

        return next;
    }

    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw new OperationCanceledException("The upload was stopped before every part was sent.");
        }
    }

    /// <summary>
    /// Sends a part; once parts have gone through, a failed part (retries exhausted: network down, service trouble)
    /// pauses sending while the archive goes on into the spool, to be resumed later. Other failures end the pump.
    /// </summary>
    private async Task SendOrPauseAsync(int index, long length)
    {
        try
        {
            await SendFromSpoolAsync(index, length).ConfigureAwait(false);
        }
        catch (Exception) when (_sender.HasFailed && _sender.Acknowledged > 0)
        {
            _paused = true;
        }
    }

    private async Task SendFromSpoolAsync(int index, long length)
    {
        await _sender.WaitForSlotAsync(CancellationToken.None).ConfigureAwait(false);
        byte[] buffer = _buffers.Rent();
        try
        {
            await _spool.ReadExactlyAsync(buffer.AsMemory(0, checked((int)length)), index * _backend.PartSize, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            _buffers.Return(buffer);
            _sender.ReleaseSlot();
            throw;
        }

        await _sender.SendAsync(index, buffer, (int)length, _buffers.Return, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Appended bytes are announced to the pump each time another part's worth is on disk.</summary>
    private void Announce()
    {
        // The writer checks the part limit itself: the pump may be hours behind, and an archive that cannot fit must
        // fail now (upload aborted, spool removed), not after it was sealed as "resumable".
        if (_spool.Length > 0)
        {
            _backend.CheckLimits((int)Math.Min(int.MaxValue, (_spool.Length - 1) / _backend.PartSize), _spool.Length);
        }

        if (_spool.Length - _announced >= _backend.PartSize)
        {
            _announced = _spool.Length;
            _available.Writer.TryWrite(_announced);
        }

        // Fail fast when the pump is stuck (too many parts, initiate refused) or not one part got through (bad
        // credentials, missing bucket): spooling on would only waste hours. Later part failures are resumable.
        if (_pump.IsFaulted)
        {
            _pump.GetAwaiter().GetResult();
        }

        if (_sender.Acknowledged == 0)
        {
            _sender.ThrowIfFailed();
        }
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported through CompleteAsync or the writer; disposal only needs it finished.
        }
    }

    private sealed class SpoolStream(SpooledArchiveUpload upload) : WriteOnlyStream
    {
        public override bool CanWrite => true;

        public override void Flush() { }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            upload._spool.Append(buffer);
            upload.Announce();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await upload._spool.AppendAsync(buffer, cancellationToken).ConfigureAwait(false);
            upload.Announce();
        }
    }
}
