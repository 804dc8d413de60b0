namespace AutoGlacier.Compression;

/// <summary>
/// Everything the rest of the program needs to know about one codec, in one place: its COMPRESSION name, its levels,
/// the bytes its output starts with (how a restore recognises it) and how to make one. Listed in <see cref="CodecRegistry"/>.
/// </summary>
/// <param name="Name">The COMPRESSION value (lower case).</param>
/// <param name="Levels">The COMPRESSION_LEVEL values it accepts; null when a level has no meaning.</param>
/// <param name="Magic">The first bytes of every stream it writes; null for the codec recognised when no other one is (plain tar).</param>
/// <param name="Create">Makes the codec from a level in <paramref name="Levels"/> (0 when it has none) and a thread count.</param>
internal sealed record CodecDescriptor(string Name, CodecLevels? Levels, byte[]? Magic, Func<int, int, ICompressionCodec> Create);

/// <summary>A codec's COMPRESSION_LEVEL range and default.</summary>
internal sealed record CodecLevels(int Min, int Max, int Default)
{
    /// <summary>True when <paramref name="level"/> is in range.</summary>
    public bool Contains(int level) => level >= Min && level <= Max;

    /// <summary>The level to use: <paramref name="level"/>, or the default when it is null.</summary>
    /// <exception cref="ConfigurationException">Out of range.</exception>
    public int Resolve(int? level, string codec)
    {
        var chosen = level ?? Default;
        if (!Contains(chosen))
        {
            throw new ConfigurationException(
                $"COMPRESSION_LEVEL={chosen} is not valid for COMPRESSION={codec}: use {Min} to {Max} (default {Default}).");
        }
        return chosen;
    }

    /// <summary>"0–9": the range as messages show it.</summary>
    public override string ToString() => $"{Min}–{Max}";
}
