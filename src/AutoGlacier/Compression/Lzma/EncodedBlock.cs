namespace AutoGlacier.Compression.Lzma;

/// <summary>A finished block: the first <paramref name="Length"/> bytes of a pooled <paramref name="Buffer"/>.</summary>
internal readonly record struct EncodedBlock(byte[] Buffer, int Length);
