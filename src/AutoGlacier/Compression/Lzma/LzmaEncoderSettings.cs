using System.Globalization;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The LZMA2 encoder options we set: liblzma's preset <see cref="Preset"/> (which also gives lc/lp/pb) with its
/// dictionary, match finder, nice length, search depth and mode replaced by these. Any combination liblzma accepts
/// produces standard LZMA2 that any .xz decoder reads; these options only change the encoder's speed and ratio.
/// </summary>
internal sealed record LzmaEncoderSettings(
    int Preset, uint DictionarySize, LzmaMatchFinder MatchFinder, uint NiceLength, uint Depth, LzmaMode Mode)
{
    /// <summary>liblzma's own options for <paramref name="preset"/> (0–9), as <c>xz -N</c> uses them.</summary>
    /// <exception cref="AutoGlacierException">liblzma rejects the preset.</exception>
    public static unsafe LzmaEncoderSettings FromPreset(int preset)
    {
        var options = stackalloc byte[LzmaConstants.OptionsLzmaAllocSize];
        new Span<byte>(options, LzmaConstants.OptionsLzmaAllocSize).Clear();
        var lzma = LoadPreset(options, preset);
        return new LzmaEncoderSettings(preset, lzma->DictionarySize, lzma->MatchFinder, lzma->NiceLength, lzma->Depth, lzma->Mode);
    }

    /// <summary>
    /// Fills <paramref name="options"/> (an <c>lzma_options_lzma</c> of <see cref="LzmaConstants.OptionsLzmaAllocSize"/>
    /// zeroed bytes) with the preset and then these settings.
    /// </summary>
    /// <exception cref="AutoGlacierException">liblzma rejects the preset.</exception>
    public unsafe void WriteTo(byte* options)
    {
        var lzma = LoadPreset(options, Preset);
        lzma->DictionarySize = DictionarySize;
        lzma->MatchFinder = MatchFinder;
        lzma->NiceLength = NiceLength;
        lzma->Depth = Depth;
        lzma->Mode = Mode;
    }

    /// <summary>Short description for logs and benchmark tables, e.g. <c>bt4 nice=64 depth=0 normal dict=2MiB</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{MatchFinder.ToString().ToLowerInvariant()} nice={NiceLength} depth={Depth} {Mode.ToString().ToLowerInvariant()} dict={DescribeSize(DictionarySize)}");

    private static unsafe LzmaOptionsLzmaNative* LoadPreset(byte* options, int preset)
    {
        if (preset is < 0 or > 9 || LzmaLibrary.Instance.LzmaPreset(options, (uint)preset) != 0)
        {
            throw new AutoGlacierException($"liblzma rejected LZMA preset {preset}.");
        }

        return (LzmaOptionsLzmaNative*)options;
    }

    private static string DescribeSize(uint bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20}MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10}KiB");
}
