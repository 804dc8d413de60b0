using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Zstd;

/// <summary>
/// The libzstd entry points, resolved once through <see cref="NativeLibrary"/> (function pointers rather than
/// [DllImport], for the same reason as <c>LzmaLibrary</c>: an assembly has only one DllImport resolver). Native zstd
/// with its own worker threads is about twice as fast as the managed port and needs no JIT warm-up; where libzstd is
/// missing, <see cref="ZstdCodec"/> falls back to ZstdSharp.
/// </summary>
internal sealed unsafe class ZstdLibrary
{
    private static readonly string[] CandidateNames = ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd"];
    private static readonly Lazy<ZstdLibrary?> Loaded = new(TryLoad);

    public required delegate* unmanaged<nint> CreateCCtx { get; init; }
    public required delegate* unmanaged<nint, nuint> FreeCCtx { get; init; }
    public required delegate* unmanaged<nint, int, int, nuint> CCtxSetParameter { get; init; }
    public required delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, int, nuint> CompressStream2 { get; init; }
    public required delegate* unmanaged<nint> CreateDCtx { get; init; }
    public required delegate* unmanaged<nint, nuint> FreeDCtx { get; init; }
    public required delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, nuint> DecompressStream { get; init; }
    public required delegate* unmanaged<nuint, uint> IsError { get; init; }
    public required delegate* unmanaged<nuint, byte*> GetErrorName { get; init; }

    /// <summary>True when libzstd could be loaded on this machine.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>The loaded library; check <see cref="IsAvailable"/> first.</summary>
    public static ZstdLibrary Instance => Loaded.Value ?? throw new InvalidOperationException("libzstd is not loaded.");

    /// <summary>The message of a zstd result that <see cref="IsError"/> flags, e.g. "Data corruption detected".</summary>
    public unsafe string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? $"zstd error {code}";

    private static ZstdLibrary? TryLoad()
    {
        foreach (var name in CandidateNames)
        {
            if (NativeLibrary.TryLoad(name, typeof(ZstdLibrary).Assembly, null, out var library))
            {
                // Kept loaded for the life of the process: function pointers outlive any one stream.
                return Bind(library);
            }
        }

        return null;
    }

    private static ZstdLibrary Bind(nint library) => new()
    {
        CreateCCtx = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ZSTD_createCCtx"),
        FreeCCtx = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_freeCCtx"),
        CCtxSetParameter = (delegate* unmanaged<nint, int, int, nuint>)NativeLibrary.GetExport(library, "ZSTD_CCtx_setParameter"),
        CompressStream2 = (delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, int, nuint>)
            NativeLibrary.GetExport(library, "ZSTD_compressStream2"),
        CreateDCtx = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "ZSTD_createDCtx"),
        FreeDCtx = (delegate* unmanaged<nint, nuint>)NativeLibrary.GetExport(library, "ZSTD_freeDCtx"),
        DecompressStream = (delegate* unmanaged<nint, ZstdOutBuffer*, ZstdInBuffer*, nuint>)
            NativeLibrary.GetExport(library, "ZSTD_decompressStream"),
        IsError = (delegate* unmanaged<nuint, uint>)NativeLibrary.GetExport(library, "ZSTD_isError"),
        GetErrorName = (delegate* unmanaged<nuint, byte*>)NativeLibrary.GetExport(library, "ZSTD_getErrorName"),
    };
}

/// <summary><c>ZSTD_inBuffer</c>: source, size, and how far zstd has read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdInBuffer
{
    public byte* Source;
    public nuint Size;
    public nuint Position;
}

/// <summary><c>ZSTD_outBuffer</c>: destination, size, and how far zstd has written.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdOutBuffer
{
    public byte* Destination;
    public nuint Size;
    public nuint Position;
}

/// <summary>The zstd.h constants we use.</summary>
internal static class ZstdConstants
{
    public const int CompressionLevel = 100;   // ZSTD_c_compressionLevel
    public const int WorkerCount = 400;        // ZSTD_c_nbWorkers (0 = compress in the calling thread)
    public const int EndContinue = 0;          // ZSTD_e_continue
    public const int EndFlush = 1;             // ZSTD_e_flush
    public const int EndFrame = 2;             // ZSTD_e_end
}
