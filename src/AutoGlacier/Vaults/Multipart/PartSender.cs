using System.Collections.Concurrent;

namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// Sends the parts of one multipart upload with at most <see cref="IMultipartBackend.Concurrency"/> in flight,
/// initiating the upload on the first part, collecting what each part's acknowledgement says, and keeping the first
/// failure so the writer sees it on its next call.
/// </summary>
internal sealed class PartSender : IAsyncDisposable
{
    private readonly IMultipartBackend _backend;
    private readonly ArchiveUploadInfo _info;
    private readonly string _target;
    private readonly IUploadJournal? _journal;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<int, UploadedPart> _done = new();
    private readonly List<Task> _inFlight = [];
    private readonly CancellationTokenSource _abort = new();
    private Exception? _failure;
    private bool _disposed;

    /// <param name="backend">The backend's multipart operations.</param>
    /// <param name="info">The archive being stored.</param>
    /// <param name="target">Where a new upload goes (see <see cref="IMultipartBackend.NewTarget"/>).</param>
    /// <param name="ticket">An upload to continue (resume), or null to initiate one on the first part.</param>
    /// <remarks><see cref="ArchiveUploadInfo.Journal"/> is told when the upload starts and as each part is acknowledged.</remarks>
    public PartSender(IMultipartBackend backend, ArchiveUploadInfo info, string target, MultipartTicket? ticket)
    {
        _journal = info.Journal;
        _backend = backend;
        _info = info;
        _target = target;
        Ticket = ticket;
        _slots = new SemaphoreSlim(Math.Max(1, backend.Concurrency));
    }

    /// <summary>The upload, once initiated (or given).</summary>
    public MultipartTicket? Ticket { get; private set; }


    /// <summary>Parts acknowledged so far (including ones found already stored, see <see cref="Accept"/>).</summary>
    public int Acknowledged => _done.Count;

    /// <summary>Whether a part failed (its retries exhausted).</summary>
    public bool HasFailed => _failure is not null;

    /// <summary>Waits for a free slot. Call before reading a part into a buffer, so at most Concurrency buffers are full.</summary>
    public async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends part <paramref name="index"/> in the background (a slot must be held, see <see cref="WaitForSlotAsync"/>);
    /// <paramref name="release"/> gets the buffer back once the part is done with it.
    /// </summary>
    public async Task SendAsync(int index, byte[] buffer, int length, Action<byte[]> release, CancellationToken cancellationToken)
    {
        try
        {
            _backend.CheckLimits(index, (index * (Ticket?.PartSize ?? _backend.PartSize)) + length);
            await EnsureInitiatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            release(buffer);
            _slots.Release();
            throw;
        }

        _journal?.PartSending();
        _inFlight.Add(Task.Run(() => UploadAsync(index, buffer, length, release), CancellationToken.None));
    }

    /// <summary>Gives back a slot taken by <see cref="WaitForSlotAsync"/> when no part is sent with it (its read failed).</summary>
    public void ReleaseSlot() => _slots.Release();

    /// <summary>Records a part the backend already holds (found by ListParts on resume), giving back the slot held for it.</summary>
    public void Accept(UploadedPart part)
    {
        Acknowledge(part);
        _slots.Release();
    }

    /// <summary>Waits for every part in flight and returns all parts, in order, or throws the first failure.</summary>
    public async Task<IReadOnlyList<UploadedPart>> FinishAsync(int partCount)
    {
        await Task.WhenAll(_inFlight).ConfigureAwait(false);
        ThrowIfFailed();
        return Enumerable.Range(0, partCount).Select(i => _done.TryGetValue(i, out UploadedPart? part)
            ? part
            : throw new InvalidOperationException($"Part {i + 1} was never sent.")).ToList();
    }

    /// <summary>Cancels the parts in flight (their slots come free); call before stopping whoever sends parts.</summary>
    public void CancelInFlight()
    {
        if (!_disposed)
        {
            _abort.Cancel();
        }
    }

    /// <summary>Throws the first part failure, if any.</summary>
    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure is AutoGlacierException ? failure : new AutoGlacierException($"Uploading a part failed: {failure.Message}", failure);
        }
    }

    /// <summary>Stops parts in flight and waits for them; the upload itself is left for the caller to abort or resume.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _abort.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each part recorded its own failure; an abandoned upload only needs them finished.
        }

        _abort.Dispose();
        _slots.Dispose();
    }

    private void Acknowledge(UploadedPart part)
    {
        _done[part.Index] = part;
        _journal?.PartStored(part, part.Index * Ticket!.PartSize);
    }

    private async Task EnsureInitiatedAsync(CancellationToken cancellationToken)
    {
        if (Ticket is not null)
        {
            return;
        }

        MultipartTicket ticket = await _backend.InitiateAsync(_target, _info, cancellationToken).ConfigureAwait(false);
        Ticket = ticket;
        if (_journal is not null)
        {
            await _journal.UploadStartedAsync(ticket, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UploadAsync(int index, byte[] buffer, int length, Action<byte[]> release)
    {
        try
        {
            Acknowledge(await _backend.UploadPartAsync(Ticket!, index, buffer.AsMemory(0, length), _abort.Token).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
        finally
        {
            _journal?.PartSent();
            release(buffer);
            _slots.Release();
        }
    }
}
