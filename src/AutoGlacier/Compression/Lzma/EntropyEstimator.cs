namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Cheap incompressibility test: the order-0 (byte histogram) entropy of a segment. It runs at memory speed, so we can
/// afford it on every byte, unlike trial compression.
/// </summary>
internal static class EntropyEstimator
{
    /// <summary>Shannon entropy of the byte distribution of <paramref name="data"/>, in bits per byte (0–8).</summary>
    public static double BitsPerByte(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[256];
        foreach (var value in data)
        {
            counts[value]++;
        }

        double entropy = 0;
        double total = data.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / total;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy;
    }
}
