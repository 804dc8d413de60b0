using AutoGlacier.Streams;

namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>
/// The managed lzma compressor: a write-only stream producing an .lz file of independent members, one per
/// <c>blockSize</c> bytes of input, encoded on up to <c>threads</c> workers at once and written in input order.
/// <c>xz -d</c> (5.4 and later) and <c>lzip -d</c> decode it. Used where liblzma cannot be loaded.
/// </summary>
/// <remarks>
/// Unlike the liblzma path there is no stored mode for incompressible data (lzip has none) and no LZMA2, so random
/// input costs full LZMA time. Memory: at most <c>threads</c> blocks queued plus the one being filled, each with one
/// encoder (SharpCompress bt4: about 9.5 × dictionary).
/// </remarks>
internal sealed class LzipCompressorStream : FinishingWriteStream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _maxInFlight;
    private readonly int _dictionaryCap;
    private readonly int _niceLength;
    private readonly BufferPool _blocks;
    private readonly Queue<Task<byte[]>> _inFlight = new();
    private byte[]? _filling;
    private int _fillingLength;
    private bool _anyMember;

    /// <summary>Creates the stream.</summary>
    public LzipCompressorStream(Stream output, bool leaveOpen, int threads, int blockSize, int dictionaryCap, int niceLength)
        : base("lzma compressor")
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
        _maxInFlight = threads;
        _dictionaryCap = dictionaryCap;
        _niceLength = niceLength;
        _blocks = new BufferPool(blockSize);
    }

    /// <inheritdoc />
    protected override void WriteCore(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            _filling ??= _blocks.Rent();
            var count = Math.Min(buffer.Length, _filling.Length - _fillingLength);
            buffer[..count].CopyTo(_filling.AsSpan(_fillingLength));
            _fillingLength += count;
            buffer = buffer[count..];
            if (_fillingLength == _filling.Length)
            {
                Submit();
            }
        }
    }

    /// <inheritdoc />
    protected override ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        // Waiting for a member is waiting for CPU-bound workers; a blocking wait keeps this simple and costs nothing.
        cancellationToken.ThrowIfCancellationRequested();
        WriteCore(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes members that are already encoded; never cuts the current block short.</summary>
    protected override void FlushCore()
    {
        while (_inFlight.TryPeek(out var head) && head.IsCompleted)
        {
            WriteHead();
        }
        _output.Flush();
    }

    /// <inheritdoc />
    protected override Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        FlushCore();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override void FinishCore() => Finish();

    /// <inheritdoc />
    protected override Task FinishCoreAsync()
    {
        Finish();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override void ReleaseResources()
    {
        foreach (var task in _inFlight)
        {
            // Only after a failure: let the workers stop before their buffers go away.
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }
        _inFlight.Clear();
        _blocks.Clear();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private void Submit()
    {
        while (_inFlight.Count >= _maxInFlight)
        {
            WriteHead();
        }

        var block = _filling!;
        var length = _fillingLength;
        _filling = null;
        _fillingLength = 0;
        _anyMember = true;
        _inFlight.Enqueue(Task.Factory.StartNew(
            () => EncodeAndReturn(block, length), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    private byte[] EncodeAndReturn(byte[] block, int length)
    {
        try
        {
            return LzipMemberEncoder.Encode(block, length, _dictionaryCap, _niceLength);
        }
        finally
        {
            _blocks.Return(block);
        }
    }

    private void WriteHead()
    {
        var member = _inFlight.Peek().GetAwaiter().GetResult();
        _ = _inFlight.Dequeue();
        _output.Write(member);
        // SharpCompress builds a new encoder per member (bt4 tables, ~19 MiB at a 2 MiB dictionary, on the large object
        // heap) and offers no way to reuse one; left to the GC's own pace, dead encoders took the peak RSS to 269 MiB on
        // 47 MB. One full collection per 8 MiB member (a few ms against seconds of encoding) keeps it near the live set.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private void Finish()
    {
        // An empty input still gets one (empty) member: a zero-byte file is not an lzip file.
        if (_fillingLength > 0 || !_anyMember)
        {
            _filling ??= _blocks.Rent();
            Submit();
        }

        while (_inFlight.Count > 0)
        {
            WriteHead();
        }

        _output.Flush();
    }
}
