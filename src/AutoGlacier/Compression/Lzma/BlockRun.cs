namespace AutoGlacier.Compression.Lzma;

/// <summary>A stretch of a block that is encoded as one .xz stream, either LZMA2-compressed or stored.</summary>
internal readonly record struct BlockRun(int Start, int Length, bool Stored)
{
    /// <summary>
    /// Splits <paramref name="block"/> into segments, classifies each by entropy, and merges neighbours of the same
    /// kind so compressible data keeps as much LZMA context as possible.
    /// </summary>
    public static List<BlockRun> Split(ReadOnlySpan<byte> block, int segmentSize, double storeThreshold)
    {
        var runs = new List<BlockRun>();
        for (var start = 0; start < block.Length; start += segmentSize)
        {
            var length = Math.Min(segmentSize, block.Length - start);
            var stored = EntropyEstimator.BitsPerByte(block.Slice(start, length)) >= storeThreshold;
            if (runs.Count > 0 && runs[^1].Stored == stored)
            {
                runs[^1] = runs[^1] with { Length = runs[^1].Length + length };
            }
            else
            {
                runs.Add(new BlockRun(start, length, stored));
            }
        }

        return runs;
    }
}
