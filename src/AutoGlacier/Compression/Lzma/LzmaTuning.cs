namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The knobs of the parallel lzma compressor, measured on a 150 MB mixed corpus on a 2-core machine
/// (see the compression section of docs/FORMAT.md).
/// </summary>
internal static class LzmaTuning
{
    /// <summary>Input bytes per independently compressed block; also the unit of parallel work.</summary>
    public const int BlockSize = 8 * 1024 * 1024;

    /// <summary>
    /// Dictionary cap. Presets 5–9 would use 8–64 MiB (94–674 MiB of encoder memory per thread); 4 MiB costs
    /// 48 MiB per thread and, with 8 MiB blocks, loses little ratio because a block never sees more than 8 MiB anyway.
    /// </summary>
    public const uint MaxDictionarySize = 4 * 1024 * 1024;

    /// <summary>Granularity at which a block is classified as compressible or stored.</summary>
    public const int SegmentSize = 256 * 1024;

    /// <summary>
    /// Order-0 entropy (bits per byte) at or above which a segment is stored. Already-compressed formats sit at
    /// 7.95–8.0; text is 4–5, machine code 5.5–6.5. At 7.9 an order-0 coder could save at most ~1.3%.
    /// </summary>
    public const double StoreEntropyThreshold = 7.9;

    /// <summary>Default preset, as <c>xz</c>.</summary>
    public const int DefaultLevel = 6;
}
