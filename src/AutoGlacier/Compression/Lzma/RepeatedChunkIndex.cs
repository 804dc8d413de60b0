using System.Numerics;
using System.Runtime.InteropServices;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// Finds content that occurs more than once in a block, at tar's 512-byte granularity. High entropy alone does not
/// make data incompressible: two copies of the same .gz or .jpg (common: Debian ships identical changelogs in many
/// packages, users keep copies of photos) compress to one copy under LZMA, so such data must not be stored.
/// </summary>
internal sealed class RepeatedChunkIndex
{
    /// <summary>Tar aligns every member to 512 bytes, so duplicated files line up on this grid.</summary>
    public const int ChunkSize = 512;

    private readonly Dictionary<ulong, int> _occurrences = [];
    private readonly ulong[] _chunkHashes;

    /// <summary>Hashes every whole aligned chunk of <paramref name="block"/>.</summary>
    public RepeatedChunkIndex(ReadOnlySpan<byte> block)
    {
        _chunkHashes = new ulong[block.Length / ChunkSize];
        for (var i = 0; i < _chunkHashes.Length; i++)
        {
            var chunk = block.Slice(i * ChunkSize, ChunkSize);

            // Runs of one byte value (tar padding, sparse zeros) repeat everywhere and say nothing about duplicates.
            var hash = chunk.IndexOfAnyExcept(chunk[0]) < 0 ? 0 : Hash(chunk);
            _chunkHashes[i] = hash;
            if (hash != 0)
            {
                _occurrences[hash] = _occurrences.GetValueOrDefault(hash) + 1;
            }
        }
    }

    /// <summary>Fraction (0–1) of the whole chunks in the range whose content also occurs elsewhere in the block.</summary>
    public double RepeatedFraction(int start, int length)
    {
        var first = (start + ChunkSize - 1) / ChunkSize;
        var end = Math.Min((start + length) / ChunkSize, _chunkHashes.Length);
        if (end <= first)
        {
            return 0;
        }

        var repeated = 0;
        for (var i = first; i < end; i++)
        {
            if (_chunkHashes[i] != 0 && _occurrences[_chunkHashes[i]] > 1)
            {
                repeated++;
            }
        }

        return (double)repeated / (end - first);
    }

    /// <summary>A fast deterministic 64-bit mix (not cryptographic; a collision only costs a little speed).</summary>
    private static ulong Hash(ReadOnlySpan<byte> chunk)
    {
        var hash = 0x9E3779B97F4A7C15UL;
        foreach (var word in MemoryMarshal.Cast<byte, ulong>(chunk))
        {
            hash = BitOperations.RotateLeft((hash ^ word) * 0xBF58476D1CE4E5B9UL, 29);
        }

        return hash | 1;
    }
}
