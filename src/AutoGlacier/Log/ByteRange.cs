namespace AutoGlacier.Log;

/// <summary>A half-open byte range [Start, End) in a log file.</summary>
internal readonly record struct ByteRange(long Start, long End)
{
    /// <summary>Number of bytes in the range.</summary>
    public long Length => End - Start;
}
