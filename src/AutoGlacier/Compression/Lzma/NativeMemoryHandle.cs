using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Lzma;

/// <summary>A zeroed native allocation freed on dispose or finalization (used for liblzma option structs).</summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    /// <summary>Allocates <paramref name="size"/> zeroed bytes.</summary>
    public NativeMemoryHandle(int size) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)size));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Start of the allocation.</summary>
    public byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (byte*)handle;
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        return true;
    }
}
