using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Mirror of liblzma's <c>lzma_stream</c> (lzma/base.h). The layout is part of liblzma's stable ABI since 5.0;
/// we only touch the in/out fields, the rest is reserved space liblzma expects to be zero.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaStreamNative
{
    public byte* NextIn;
    public nuint AvailIn;
    public ulong TotalIn;
    public byte* NextOut;
    public nuint AvailOut;
    public ulong TotalOut;
    public nint Allocator;
    public nint Internal;
    public nint ReservedPtr1;
    public nint ReservedPtr2;
    public nint ReservedPtr3;
    public nint ReservedPtr4;
    public ulong SeekPos;
    public ulong ReservedInt2;
    public nuint ReservedInt3;
    public nuint ReservedInt4;
    public int ReservedEnum1;
    public int ReservedEnum2;
}

/// <summary>Mirror of liblzma's <c>lzma_filter</c>: a filter id and a pointer to its options.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaFilterNative
{
    public ulong Id;
    public void* Options;
}

/// <summary>
/// Mirror of the leading fields of liblzma's <c>lzma_options_lzma</c> (lzma/lzma12.h), up to <c>depth</c>: the ones
/// the encoder tuning sets. Sequential layout puts them where liblzma expects on 32- and 64-bit alike; the struct's
/// tail (extension and reserved fields) lives in the same allocation and stays as <c>lzma_lzma_preset</c> left it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LzmaOptionsLzmaNative
{
    public uint DictionarySize;
    public byte* PresetDictionary;
    public uint PresetDictionarySize;
    public uint LiteralContextBits;
    public uint LiteralPositionBits;
    public uint PositionBits;
    public LzmaMode Mode;
    public uint NiceLength;
    public LzmaMatchFinder MatchFinder;
    public uint Depth;
}

/// <summary>liblzma's <c>lzma_match_finder</c>: hash chains (hc) or binary trees (bt) over 2–4 byte hashes.</summary>
internal enum LzmaMatchFinder
{
    /// <summary>Hash chain, 2- and 3-byte hashing (~7.5 × dictionary of memory).</summary>
    Hc3 = 0x03,

    /// <summary>Hash chain, 2-, 3- and 4-byte hashing (~7.5 × dictionary).</summary>
    Hc4 = 0x04,

    /// <summary>Binary tree, 2-byte hashing (~9.5 × dictionary).</summary>
    Bt2 = 0x12,

    /// <summary>Binary tree, 2- and 3-byte hashing (~11.5 × dictionary).</summary>
    Bt3 = 0x13,

    /// <summary>Binary tree, 2-, 3- and 4-byte hashing (~11.5 × dictionary): presets 4–9.</summary>
    Bt4 = 0x14,
}

/// <summary>liblzma's <c>lzma_mode</c>: how the encoder chooses among the match finder's candidates.</summary>
internal enum LzmaMode
{
    /// <summary>Takes the first good match (presets 0–3).</summary>
    Fast = 1,

    /// <summary>Optimal parsing over the candidates (presets 4–9).</summary>
    Normal = 2,
}

/// <summary>
/// Mirror of liblzma 5.4's <c>lzma_mt</c> (lzma/container.h), 128 bytes: the options of the threaded coders. Only the
/// decoder fields are named; everything else must be zero.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct LzmaMtNative
{
    [FieldOffset(0)] public uint Flags;
    [FieldOffset(4)] public uint Threads;
    [FieldOffset(64)] public ulong MemlimitThreading;
    [FieldOffset(72)] public ulong MemlimitStop;
}

/// <summary>The liblzma constants this component uses (values from lzma/base.h, check.h, container.h, lzma12.h).</summary>
internal static class LzmaConstants
{
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int MemError = 5;
    public const int FormatError = 7;
    public const int OptionsError = 8;
    public const int DataError = 9;
    public const int BufError = 10;

    public const int ActionRun = 0;
    public const int ActionFinish = 3;

    /// <summary>CRC64 integrity check: what <c>xz</c> uses by default.</summary>
    public const int CheckCrc64 = 4;

    /// <summary>Decoder flag: keep decoding after the first stream ends (we write one stream per run).</summary>
    public const uint Concatenated = 0x08;

    public const ulong FilterLzma2 = 0x21;

    /// <summary>LZMA_VLI_UNKNOWN: terminates a filter chain.</summary>
    public const ulong FilterChainEnd = ulong.MaxValue;

    /// <summary>Enough for <c>lzma_options_lzma</c> in every liblzma 5.x (it is about 112 bytes; the tail is reserved).</summary>
    public const int OptionsLzmaAllocSize = 256;

    /// <summary>Human-readable name of an <c>lzma_ret</c> for error messages.</summary>
    public static string Describe(int ret) => ret switch
    {
        MemError => "out of memory",
        FormatError => "not .xz data",
        OptionsError => "unsupported options",
        DataError => "data error",
        BufError => "unexpected end of data",
        _ => $"liblzma error {ret}",
    };
}
