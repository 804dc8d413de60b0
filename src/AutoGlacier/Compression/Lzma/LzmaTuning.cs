namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The knobs of the parallel lzma compressor, measured on a 157 MB mixed corpus (text, binaries, ~20% already
/// compressed) on a 2-core machine; see the compression section of docs/FORMAT.md.
/// </summary>
/// <remarks>
/// Memory of one compressor stream ≈ threads × 25 MiB (encoders) + threads × 16.4 MiB (queued input and output
/// blocks) + 8 MiB (block being filled): ~91 MiB with 2 threads. (With threads + 1 queued blocks, a whole test process
/// compressing a 157 MB tar peaked at 141 MB, of which 31 MB is the .NET runtime.)
/// </remarks>
internal static class LzmaTuning
{
    /// <summary>
    /// Input bytes per independently compressed block; also the unit of parallel work. Measured: 4 MiB blocks cost
    /// 1% more output than 8 MiB; larger blocks cost memory (four exist at once with two threads).
    /// </summary>
    public const int BlockSize = 8 * 1024 * 1024;

    /// <summary>
    /// Dictionary cap, the main lever on encoder memory (bt4 needs ~11.5 × dictionary). Presets 5–9 would use
    /// 8–64 MiB (94–674 MiB per thread). Measured with 8 MiB blocks: 2 MiB gives 1.044 × the size of <c>xz -6</c>
    /// at 25 MiB per thread; 3 MiB gives 1.041 × at 36 MiB; 4 MiB 1.037 × at 48 MiB and is slower.
    /// </summary>
    public const uint MaxDictionarySize = 2 * 1024 * 1024;

    /// <summary>Granularity at which a block is classified as compressible or stored.</summary>
    public const int SegmentSize = 256 * 1024;

    /// <summary>
    /// Order-0 entropy (bits per byte) at or above which a segment is stored (unless its content repeats in the
    /// block). Already-compressed formats sit at 7.95–8.0; text is 4–5, machine code 5.5–6.5. At 7.9 an order-0 coder
    /// could save at most ~1.3%.
    /// </summary>
    public const double StoreEntropyThreshold = 7.9;

    /// <summary>Default preset, as <c>xz</c>.</summary>
    public const int DefaultLevel = 6;

    /// <summary>The encoder options of <paramref name="preset"/>: liblzma's preset with the dictionary capped.</summary>
    /// <remarks>
    /// Preset 6 keeps liblzma's bt4, nice length 64, automatic depth (48), normal mode. Measured with tools/LzmaBench
    /// on every 4th 8 MiB block of a 516 MB tar of real files (.NET packs, headers, docs, Python stdlib), against
    /// <c>xz -6</c> of the same bytes (docs/BENCHMARK.md, "lzma encoder settings"): these settings are 1.045 ×, and every
    /// cheaper one crosses the 1.05 × size bound: nice 32 1.051 × (CPU within the ±10% noise), nice 16 1.068 × (−25% CPU),
    /// hc4 nice 32 1.067 × (−22%), depth 8 1.054 ×, hc4 fast 1.100 × (−64%). On the whole tar we are already 1.061 ×.
    /// </remarks>
    /// <exception cref="AutoGlacierException">liblzma rejects the preset.</exception>
    public static LzmaEncoderSettings EncoderSettings(int preset)
    {
        var settings = LzmaEncoderSettings.FromPreset(preset);
        return settings with { DictionarySize = Math.Min(settings.DictionarySize, MaxDictionarySize) };
    }
}
