using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The liblzma entry points, resolved once through <see cref="NativeLibrary"/>. We load function pointers ourselves
/// instead of [DllImport] + a DllImportResolver because an assembly can only have one resolver, and other components
/// may want theirs.
/// </summary>
internal sealed unsafe class LzmaLibrary
{
    private static readonly string[] CandidateNames = ["liblzma.so.5", "liblzma.so", "liblzma.5.dylib", "liblzma"];
    private static readonly Lazy<LzmaLibrary?> Loaded = new(TryLoad);

    public required delegate* unmanaged<LzmaStreamNative*, int, int> Code { get; init; }
    public required delegate* unmanaged<LzmaStreamNative*, void> End { get; init; }
    public required delegate* unmanaged<LzmaStreamNative*, LzmaFilterNative*, int> RawEncoder { get; init; }
    public required delegate* unmanaged<LzmaStreamNative*, ulong, uint, int> StreamDecoder { get; init; }

    /// <summary><c>lzma_stream_decoder_mt</c> (liblzma 5.4 and later), or null on an older liblzma.</summary>
    public required delegate* unmanaged<LzmaStreamNative*, LzmaMtNative*, int> StreamDecoderMt { get; init; }
    public required delegate* unmanaged<void*, uint, byte> LzmaPreset { get; init; }
    public required delegate* unmanaged<nuint, nuint> StreamBufferBound { get; init; }
    public required delegate* unmanaged<byte*, nuint, uint, uint> Crc32 { get; init; }
    public required delegate* unmanaged<byte*, nuint, ulong, ulong> Crc64 { get; init; }

    /// <summary>True when liblzma could be loaded on this machine.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>The loaded library.</summary>
    /// <exception cref="ConfigurationException">liblzma is not installed.</exception>
    public static LzmaLibrary Instance => Loaded.Value ?? throw new ConfigurationException(
        "COMPRESSION lzma needs liblzma (Debian/Ubuntu: apt-get install liblzma5; macOS: brew install xz); "
        + "or set COMPRESSION to zstd.");

    private static LzmaLibrary? TryLoad()
    {
        foreach (var name in CandidateNames)
        {
            if (NativeLibrary.TryLoad(name, typeof(LzmaLibrary).Assembly, null, out var library))
            {
                // The library is kept loaded for the life of the process: function pointers outlive any one stream.
                return Bind(library);
            }
        }

        return null;
    }

    private static LzmaLibrary Bind(nint library) => new()
    {
        Code = (delegate* unmanaged<LzmaStreamNative*, int, int>)NativeLibrary.GetExport(library, "lzma_code"),
        End = (delegate* unmanaged<LzmaStreamNative*, void>)NativeLibrary.GetExport(library, "lzma_end"),
        RawEncoder = (delegate* unmanaged<LzmaStreamNative*, LzmaFilterNative*, int>)
            NativeLibrary.GetExport(library, "lzma_raw_encoder"),
        StreamDecoderMt = NativeLibrary.TryGetExport(library, "lzma_stream_decoder_mt", out var decoderMt)
            ? (delegate* unmanaged<LzmaStreamNative*, LzmaMtNative*, int>)decoderMt
            : null,
        StreamDecoder = (delegate* unmanaged<LzmaStreamNative*, ulong, uint, int>)
            NativeLibrary.GetExport(library, "lzma_stream_decoder"),
        LzmaPreset = (delegate* unmanaged<void*, uint, byte>)NativeLibrary.GetExport(library, "lzma_lzma_preset"),
        StreamBufferBound = (delegate* unmanaged<nuint, nuint>)NativeLibrary.GetExport(library, "lzma_stream_buffer_bound"),
        Crc32 = (delegate* unmanaged<byte*, nuint, uint, uint>)NativeLibrary.GetExport(library, "lzma_crc32"),
        Crc64 = (delegate* unmanaged<byte*, nuint, ulong, ulong>)NativeLibrary.GetExport(library, "lzma_crc64"),
    };

    /// <summary>CRC32 (IEEE, as used by .xz headers) of <paramref name="data"/>.</summary>
    public uint ComputeCrc32(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return Crc32(p, (nuint)data.Length, 0);
        }
    }

    /// <summary>CRC64 (ECMA-182, the .xz block check) of <paramref name="data"/>.</summary>
    public ulong ComputeCrc64(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return Crc64(p, (nuint)data.Length, 0);
        }
    }
}
