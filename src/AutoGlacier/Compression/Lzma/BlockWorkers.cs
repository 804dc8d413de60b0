namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The worker side of <see cref="ParallelXzCompressorStream"/>: starts one task per block, lets at most
/// <c>threads</c> of them encode at once, and owns the encoders and block buffers they use.
/// </summary>
internal sealed class BlockWorkers : IDisposable
{
    private readonly SemaphoreSlim _encodeSlots;
    private readonly EncoderPool _encoders;
    private readonly BufferPool _inputBuffers;
    private readonly BufferPool _outputBuffers;

    /// <summary>Creates workers encoding with <paramref name="settings"/> blocks of <paramref name="blockSize"/> bytes.</summary>
    public BlockWorkers(LzmaEncoderSettings settings, int threads, int blockSize)
    {
        _encodeSlots = new SemaphoreSlim(threads, threads);
        _encoders = new EncoderPool(() => new XzBlockEncoder(
            settings, LzmaTuning.SegmentSize, LzmaTuning.StoreEntropyThreshold));
        _inputBuffers = new BufferPool(blockSize);
        _outputBuffers = new BufferPool(XzBlockEncoder.MaxEncodedLength(blockSize, LzmaTuning.SegmentSize));
    }

    /// <summary>Size of the input blocks.</summary>
    public int BlockSize => _inputBuffers.BufferSize;

    /// <summary>A buffer to fill with the next block; <see cref="Start"/> takes it back.</summary>
    public byte[] RentInput() => _inputBuffers.Rent();

    /// <summary>Gives back the buffer of a block that has been written out.</summary>
    public void ReturnOutput(EncodedBlock block) => _outputBuffers.Return(block.Buffer);

    /// <summary>Encodes the first <paramref name="length"/> bytes of <paramref name="block"/> in the background.</summary>
    public Task<EncodedBlock> Start(byte[] block, int length) =>
        // LongRunning: each block is seconds of CPU; a dedicated thread keeps it off the shared thread pool.
        Task.Factory.StartNew(
            () => EncodeInSlot(block, length), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Frees encoders and buffers. Call only once no started task is still running.</summary>
    public void Dispose()
    {
        _encoders.Dispose();
        _encodeSlots.Dispose();
        _inputBuffers.Clear();
        _outputBuffers.Clear();
    }

    private EncodedBlock EncodeInSlot(byte[] block, int length)
    {
        _encodeSlots.Wait();
        try
        {
            return Encode(block, length);
        }
        finally
        {
            _encodeSlots.Release();
        }
    }

    private EncodedBlock Encode(byte[] block, int length)
    {
        var encoder = _encoders.Rent();
        var output = _outputBuffers.Rent();
        try
        {
            var records = new List<XzIndexRecord>();
            var written = encoder.Encode(block.AsSpan(0, length), output, records);
            return new EncodedBlock(output, written, records);
        }
        catch
        {
            _outputBuffers.Return(output);
            throw;
        }
        finally
        {
            _encoders.Return(encoder);
            _inputBuffers.Return(block);
        }
    }
}
