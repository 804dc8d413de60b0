namespace AutoGlacier.Streams;

/// <summary>
/// Base for the compressors, whose format ends when they are disposed (the .xz index, the zstd frame's end, the
/// lzip trailers). One state machine for all of them: writable until finished or broken; a failure while writing,
/// flushing or finishing leaves the stream broken, so it is never finished on top of a failure (a truncated stream
/// must not look complete) nor finished twice; disposing finishes a healthy stream, then always releases resources.
/// </summary>
internal abstract class FinishingWriteStream : WriteOnlyStream
{
    private readonly string _name;
    private bool _broken;
    private bool _finished;
    private bool _disposed;

    /// <summary>Creates the state machine; <paramref name="name"/> names the stream in errors ("the zstd compressor").</summary>
    protected FinishingWriteStream(string name) => _name = name;

    /// <inheritdoc />
    public sealed override bool CanWrite => !_disposed && !_finished;

    /// <summary>True once the format's end has been written.</summary>
    protected bool IsFinished => _finished;

    /// <inheritdoc />
    public sealed override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfNotWritable();
        try { WriteCore(buffer); }
        catch { _broken = true; throw; }
    }

    /// <inheritdoc />
    public sealed override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        try { await WriteCoreAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch { _broken = true; throw; }
    }

    /// <inheritdoc />
    public sealed override void Flush()
    {
        ThrowIfNotWritable();
        try { FlushCore(); }
        catch { _broken = true; throw; }
    }

    /// <inheritdoc />
    public sealed override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        try { await FlushCoreAsync(cancellationToken).ConfigureAwait(false); }
        catch { _broken = true; throw; }
    }

    /// <inheritdoc />
    public sealed override async ValueTask DisposeAsync()
    {
        try
        {
            if (!_disposed && !_finished && !_broken)
            {
                try
                {
                    await FinishCoreAsync().ConfigureAwait(false);
                    _finished = true;
                }
                catch { _broken = true; throw; }
            }
        }
        finally
        {
            // Runs Dispose(true), which now only releases resources: the stream is finished or broken.
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected sealed override void Dispose(bool disposing)
    {
        if (!disposing || _disposed)
        {
            base.Dispose(disposing);
            return;
        }
        try
        {
            if (!_finished && !_broken)
            {
                FinishCore();
                _finished = true;
            }
        }
        catch { _broken = true; throw; }
        finally
        {
            _disposed = true;
            ReleaseResources();
            base.Dispose(disposing);
        }
    }

    /// <summary>Compresses <paramref name="buffer"/>.</summary>
    protected abstract void WriteCore(ReadOnlySpan<byte> buffer);

    /// <summary>Compresses <paramref name="buffer"/>, writing asynchronously.</summary>
    protected abstract ValueTask WriteCoreAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Pushes out what can be pushed without ending the format, then flushes the output.</summary>
    protected abstract void FlushCore();

    /// <summary>As <see cref="FlushCore"/>, asynchronously.</summary>
    protected abstract Task FlushCoreAsync(CancellationToken cancellationToken);

    /// <summary>Writes everything left and the format's end.</summary>
    protected abstract void FinishCore();

    /// <summary>As <see cref="FinishCore"/>, asynchronously (dispose is not cancellable).</summary>
    protected abstract Task FinishCoreAsync();

    /// <summary>Frees native memory and workers, and closes the output unless it is left open. Called once.</summary>
    protected abstract void ReleaseResources();

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken || _finished)
        {
            throw new InvalidOperationException($"The {_name} already failed or was finished; nothing more can be written.");
        }
    }
}
