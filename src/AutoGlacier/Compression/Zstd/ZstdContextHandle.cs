using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Zstd;

/// <summary>Owns one native <c>ZSTD_CCtx</c> or <c>ZSTD_DCtx</c>; freeing it also stops a compressor's worker threads.</summary>
internal sealed unsafe class ZstdContextHandle : SafeHandle
{
    private readonly bool _compressor;

    private ZstdContextHandle(nint context, bool compressor) : base(IntPtr.Zero, ownsHandle: true)
    {
        _compressor = compressor;
        SetHandle(context);
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The native context. Each owner uses it from one thread at a time.</summary>
    public nint Context
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    /// <summary>A new compression context.</summary>
    public static ZstdContextHandle ForCompression() => Create(ZstdLibrary.Instance.CreateCCtx(), compressor: true);

    /// <summary>A new decompression context.</summary>
    public static ZstdContextHandle ForDecompression() => Create(ZstdLibrary.Instance.CreateDCtx(), compressor: false);

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        var zstd = ZstdLibrary.Instance;
        _ = _compressor ? zstd.FreeCCtx(handle) : zstd.FreeDCtx(handle);
        return true;
    }

    private static ZstdContextHandle Create(nint context, bool compressor) => context != 0
        ? new ZstdContextHandle(context, compressor)
        : throw new AutoGlacierException("libzstd could not allocate a zstd context (out of memory?).");
}
