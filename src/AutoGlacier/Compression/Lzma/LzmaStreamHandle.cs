using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Owns one native <c>lzma_stream</c>. It lives in native memory so its address never moves (liblzma keeps internal
/// state tied to it), and release always runs <c>lzma_end</c> before freeing, even on finalization.
/// </summary>
internal sealed unsafe class LzmaStreamHandle : SafeHandle
{
    /// <summary>Allocates a zeroed stream, which is what LZMA_STREAM_INIT means.</summary>
    public LzmaStreamHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStreamNative)));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The native stream. Only valid while this handle is not disposed; each owner uses it from one thread.</summary>
    public LzmaStreamNative* Stream
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (LzmaStreamNative*)handle;
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        // lzma_end is a no-op on a stream that was never initialised, so this is safe on every path.
        LzmaLibrary.Instance.End((LzmaStreamNative*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
