using AutoGlacier.Streams;
namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Write-only stream producing .xz data. Input is cut into <see cref="LzmaTuning.BlockSize"/> blocks that are encoded
/// on up to <c>threads</c> workers at once and written to the output in input order, each block as one or more
/// .xz blocks (see <see cref="XzBlockEncoder"/>). The output is one .xz stream: its header goes out before the first
/// block, and its index (one record per .xz block, kept in memory: a few bytes each) and footer when the stream is
/// finished. One stream with many blocks, all recording their sizes, is what lets a threaded decoder work on several
/// blocks at once.
/// </summary>
/// <remarks>
/// Memory is bounded: at most <c>threads</c> blocks are queued, encoding or waiting to be written, plus the one being
/// filled. An extra queued block would keep a worker busy while the oldest block is slow (LZMA) and a younger one was
/// fast (stored), but on the benchmark corpus it bought no speed (105.5 s with it, 102.9 s without, 2 threads) and cost
/// 18 MiB of peak RSS (213 → 194 MiB), which put the backup over its 200 MiB target. A worker's failure is rethrown by
/// the next Write, Flush or Dispose.
/// </remarks>
internal sealed class ParallelXzCompressorStream : FinishingWriteStream, IBlockMapped
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _maxInFlight;
    private readonly BlockWorkers _workers;
    private readonly Queue<Task<EncodedBlock>> _inFlight = new();
    private readonly List<XzIndexRecord> _indexRecords = [];
    private bool _streamHeaderWritten;
    private byte[]? _filling;
    private int _fillingLength;

    /// <summary>
    /// Creates the stream encoding with <paramref name="settings"/> (<see cref="LzmaTuning.EncoderSettings"/> of the
    /// preset, unless measuring others); <paramref name="threads"/> bounds parallelism and blocks in flight.
    /// </summary>
    public ParallelXzCompressorStream(Stream output, bool leaveOpen, LzmaEncoderSettings settings, int threads, int blockSize)
        : base("lzma compressor")
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
        _maxInFlight = threads;
        _workers = new BlockWorkers(settings, threads, blockSize);
    }

    /// <inheritdoc />
    public BlockMap? Blocks => IsFinished ? BlockMap.FromXzIndex(_indexRecords) : null;

    /// <inheritdoc />
    protected override void WriteCore(ReadOnlySpan<byte> buffer)
    {
        ThrowIfWorkerFailed();
        while (!buffer.IsEmpty)
        {
            buffer = buffer[FillCurrentBlock(buffer)..];
            if (_fillingLength == _workers.BlockSize)
            {
                WaitForFreeSlot();
                SubmitFillingBlock();
            }
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        ThrowIfWorkerFailed();
        while (!buffer.IsEmpty)
        {
            buffer = buffer[FillCurrentBlock(buffer.Span)..];
            if (_fillingLength == _workers.BlockSize)
            {
                await WaitForFreeSlotAsync(cancellationToken).ConfigureAwait(false);
                SubmitFillingBlock();
            }
        }
    }

    /// <summary>Writes blocks that are already encoded and flushes the output; does not cut the current block short.</summary>
    protected override void FlushCore()
    {
        ThrowIfWorkerFailed();
        while (_inFlight.TryPeek(out var head) && head.IsCompleted)
        {
            WriteHeadBlock();
        }
        _output.Flush();
    }

    /// <inheritdoc />
    protected override async Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        ThrowIfWorkerFailed();
        while (_inFlight.TryPeek(out var head) && head.IsCompleted)
        {
            await WriteHeadBlockAsync(cancellationToken).ConfigureAwait(false);
        }
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void FinishCore()
    {
        ThrowIfWorkerFailed();
        Finish();
    }

    /// <inheritdoc />
    protected override Task FinishCoreAsync()
    {
        ThrowIfWorkerFailed();
        return FinishAsync(CancellationToken.None);
    }

    private int FillCurrentBlock(ReadOnlySpan<byte> source)
    {
        _filling ??= _workers.RentInput();
        var count = Math.Min(source.Length, _filling.Length - _fillingLength);
        source[..count].CopyTo(_filling.AsSpan(_fillingLength));
        _fillingLength += count;
        return count;
    }

    private void SubmitFillingBlock()
    {
        var block = _filling!;
        var length = _fillingLength;
        _filling = null;
        _fillingLength = 0;

        _inFlight.Enqueue(_workers.Start(block, length));
    }

    private void WaitForFreeSlot()
    {
        while (_inFlight.Count >= _maxInFlight)
        {
            WriteHeadBlock();
        }
    }

    private async Task WaitForFreeSlotAsync(CancellationToken cancellationToken)
    {
        while (_inFlight.Count >= _maxInFlight)
        {
            await WriteHeadBlockAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void WriteHeadBlock()
    {
        var block = _inFlight.Peek().GetAwaiter().GetResult();
        _ = _inFlight.Dequeue();
        try
        {
            WriteStreamHeaderOnce();
            _output.Write(block.Buffer, 0, block.Length);
            _indexRecords.AddRange(block.Records);
        }
        finally
        {
            _workers.ReturnOutput(block);
        }
    }

    private async Task WriteHeadBlockAsync(CancellationToken cancellationToken)
    {
        var block = await _inFlight.Peek().ConfigureAwait(false);
        _ = _inFlight.Dequeue();
        try
        {
            if (!_streamHeaderWritten)
            {
                _streamHeaderWritten = true;
                await _output.WriteAsync(XzFraming.StreamHeader(), cancellationToken).ConfigureAwait(false);
            }

            await _output.WriteAsync(block.Buffer.AsMemory(0, block.Length), cancellationToken).ConfigureAwait(false);
            _indexRecords.AddRange(block.Records);
        }
        finally
        {
            _workers.ReturnOutput(block);
        }
    }

    private void Finish()
    {
        SubmitLastBlock();
        while (_inFlight.Count > 0)
        {
            WriteHeadBlock();
        }

        WriteStreamHeaderOnce();
        _output.Write(XzFraming.IndexAndFooter(_indexRecords));
        _output.Flush();
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        SubmitLastBlock();
        while (_inFlight.Count > 0)
        {
            await WriteHeadBlockAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_streamHeaderWritten)
        {
            _streamHeaderWritten = true;
            await _output.WriteAsync(XzFraming.StreamHeader(), cancellationToken).ConfigureAwait(false);
        }

        await _output.WriteAsync(XzFraming.IndexAndFooter(_indexRecords), cancellationToken).ConfigureAwait(false);

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void SubmitLastBlock()
    {
        if (_fillingLength > 0)
        {
            SubmitFillingBlock();
        }
    }

    /// <summary>The stream header precedes the first block; zero bytes of input still get it (and an empty index).</summary>
    private void WriteStreamHeaderOnce()
    {
        if (!_streamHeaderWritten)
        {
            _streamHeaderWritten = true;
            _output.Write(XzFraming.StreamHeader());
        }
    }

    /// <summary>Rethrows a failed worker's exception as early as possible, so it is never lost.</summary>
    private void ThrowIfWorkerFailed()
    {
        foreach (var task in _inFlight)
        {
            if (task.IsFaulted)
            {
                task.GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Waits for every worker (they use the encoders and buffers) and only then frees native memory.</summary>
    protected override void ReleaseResources()
    {
        WaitForWorkersIgnoringFailures();
        _workers.Dispose();
        _filling = null;
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private void WaitForWorkersIgnoringFailures()
    {
        foreach (var task in _inFlight)
        {
            // Failures were already reported (that is why we are here); we only need the workers to stop.
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }

        _inFlight.Clear();
    }
}
