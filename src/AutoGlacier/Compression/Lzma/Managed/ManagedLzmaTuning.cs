namespace AutoGlacier.Compression.Lzma.Managed;

/// <summary>Settings of the managed (SharpCompress) lzma fallback; measured in docs/FORMAT.md.</summary>
internal static class ManagedLzmaTuning
{
    /// <summary>Dictionary cap: SharpCompress's bt4 match finder needs roughly 9.5 × this per encoder.</summary>
    public const int DictionaryCap = 2 * 1024 * 1024;

    /// <summary>Match length at which the encoder stops looking further (SharpCompress's "fast bytes").</summary>
    public static int NiceLength(int preset) => preset >= 6 ? 64 : 32;
}
