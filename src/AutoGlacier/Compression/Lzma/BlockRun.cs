namespace AutoGlacier.Compression.Lzma;

/// <summary>A stretch of a block that is encoded as one .xz stream, either LZMA2-compressed or stored.</summary>
internal readonly record struct BlockRun(int Start, int Length, bool Stored)
{
    /// <summary>A high-entropy segment with more than this fraction of repeated content still goes through LZMA.</summary>
    private const double MaxRepeatedFractionToStore = 1.0 / 16;

    /// <summary>
    /// Splits <paramref name="block"/> into segments, marks a segment stored when its byte entropy is high and its
    /// content does not repeat within the block, and merges neighbours of the same kind so compressible data keeps as
    /// much LZMA context as possible.
    /// </summary>
    public static List<BlockRun> Split(ReadOnlySpan<byte> block, int segmentSize, double storeThreshold)
    {
        var highEntropy = HighEntropySegments(block, segmentSize, storeThreshold);
        var repeats = highEntropy.Contains(true) ? new RepeatedChunkIndex(block) : null;
        var runs = new List<BlockRun>();
        for (var segment = 0; segment < highEntropy.Length; segment++)
        {
            var start = segment * segmentSize;
            var length = Math.Min(segmentSize, block.Length - start);
            var stored = highEntropy[segment] && repeats!.RepeatedFraction(start, length) <= MaxRepeatedFractionToStore;
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

    private static bool[] HighEntropySegments(ReadOnlySpan<byte> block, int segmentSize, double storeThreshold)
    {
        var flags = new bool[(block.Length + segmentSize - 1) / segmentSize];
        for (var segment = 0; segment < flags.Length; segment++)
        {
            var start = segment * segmentSize;
            var data = block.Slice(start, Math.Min(segmentSize, block.Length - start));
            flags[segment] = EntropyEstimator.BitsPerByte(data) >= storeThreshold;
        }

        return flags;
    }
}
