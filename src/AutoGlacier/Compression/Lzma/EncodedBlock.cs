namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// A finished block: the first <paramref name="Length"/> bytes of a pooled <paramref name="Buffer"/>, holding the .xz
/// blocks whose index records are <paramref name="Records"/>.
/// </summary>
internal readonly record struct EncodedBlock(byte[] Buffer, int Length, List<XzIndexRecord> Records);
