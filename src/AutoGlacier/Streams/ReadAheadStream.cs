using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace AutoGlacier.Streams;

/// <summary>
/// A bounded pipe between two stages of a read pipeline: a dedicated thread reads <c>inner</c> (for a restore: the
/// stored archive → hash → decrypt → decompress chain) ahead of the consumer (the tar reader, per-file SHA-256 and
/// writes), so the two run on different cores. At most <c>depth</c> buffers are in flight, reused, so memory is fixed.
/// The consumer sees exactly the inner stream's bytes, then its end or its exception, in order: a failure in the
/// inner stream surfaces only after every byte read before it.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly Channel<Chunk> _filled;
    private readonly Channel<byte[]> _empty;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Chunk _current = Chunk.None;
    private int _currentOffset;
    private bool _ended;

    /// <summary>The inner stream's failure once the consumer reached it: every later read throws it again.</summary>
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    /// <summary>Starts reading <paramref name="inner"/> ahead in buffers of <paramref name="bufferSize"/> bytes.</summary>
    public ReadAheadStream(Stream inner, bool leaveOpen, int bufferSize = 1 << 20, int depth = 4)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _filled = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        _empty = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < depth + 1; i++)
        {
            _empty.Writer.TryWrite(GC.AllocateUninitializedArray<byte>(bufferSize));
        }

        // Its own thread, not a pool thread: it blocks in synchronous reads for the whole archive.
        _producer = Task.Factory.StartNew(Produce, _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        while (!buffer.IsEmpty && !_ended && _currentOffset == _current.Count)
        {
            if (_filled.Reader.TryRead(out var next))
            {
                Take(next);
            }
            else if (!_filled.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                // Synchronous callers wait above while the producer is behind; false means it has finished.
                _ended = true;
            }
        }

        return CopyOut(buffer);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        while (!buffer.IsEmpty && !_ended && _currentOffset == _current.Count)
        {
            if (_filled.Reader.TryRead(out var next))
            {
                Take(next);
            }
            else if (!await _filled.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _ended = true;
            }
        }

        return CopyOut(buffer.Span);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            StopProducer();
            _producer.ContinueWith(static _ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
            CloseInner();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            StopProducer();
            await _producer.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            CloseInner();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The producer thread: fills empty buffers from the inner stream until its end, a failure, or disposal.</summary>
    private void Produce()
    {
        var token = _stop.Token;
        try
        {
            var ended = false;
            while (!ended)
            {
                var buffer = TakeEmpty(token);
                var count = Fill(buffer, out ended);
                if (count > 0)
                {
                    Publish(new Chunk(buffer, count, null), token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed early: nobody reads any more.
        }
        catch (InnerFailure failure)
        {
            // Delivered in order, after the bytes already read: the consumer rethrows it where the stream broke.
            Publish(new Chunk([], 0, failure.Cause), token);
        }
        finally
        {
            _filled.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the inner stream ends. When the inner stream fails, the bytes
    /// already read are published first, then the failure.
    /// </summary>
    private int Fill(byte[] buffer, out bool ended)
    {
        var count = 0;
        ended = false;
        try
        {
            while (count < buffer.Length && !ended)
            {
                var read = _inner.Read(buffer, count, buffer.Length - count);
                count += read;
                ended = read == 0;
            }

            return count;
        }
        catch (Exception ex)
        {
            if (count > 0)
            {
                Publish(new Chunk(buffer, count, null), _stop.Token);
            }

            throw new InnerFailure(ExceptionDispatchInfo.Capture(ex));
        }
    }

    private byte[] TakeEmpty(CancellationToken token)
    {
        byte[]? buffer;
        while (!_empty.Reader.TryRead(out buffer))
        {
            _empty.Reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult();
        }

        return buffer;
    }

    private void Publish(Chunk chunk, CancellationToken token)
    {
        while (!_filled.Writer.TryWrite(chunk))
        {
            if (!_filled.Writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult())
            {
                return;
            }
        }
    }

    /// <summary>Makes <paramref name="next"/> the current chunk, recycling the previous buffer; a failure chunk rethrows.</summary>
    private void Take(Chunk next)
    {
        if (_current.Buffer.Length > 0)
        {
            _empty.Writer.TryWrite(_current.Buffer);
        }

        _current = Chunk.None;
        _currentOffset = 0;
        if (next.Failure is { } failure)
        {
            _failure = failure;
            failure.Throw();
        }

        _current = next;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _current.Count - _currentOffset);
        _current.Buffer.AsSpan(_currentOffset, count).CopyTo(buffer);
        _currentOffset += count;
        return count;
    }

    private void StopProducer()
    {
        _stop.Cancel();
        _filled.Writer.TryComplete();
    }

    private void CloseInner()
    {
        _stop.Dispose();
        if (!_leaveOpen)
        {
            _inner.Dispose();
        }
    }

    /// <summary>Carries the inner stream's exception out of <see cref="Fill"/> to the producer's loop.</summary>
    private sealed class InnerFailure(ExceptionDispatchInfo cause) : Exception("The stream being read ahead failed.", cause.SourceException)
    {
        public ExceptionDispatchInfo Cause { get; } = cause;
    }

    /// <summary>A filled buffer (its first <see cref="Count"/> bytes), or the inner stream's failure.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Count, ExceptionDispatchInfo? Failure)
    {
        public static Chunk None { get; } = new([], 0, null);
    }
}
