namespace AutoGlacier.Encryption;

/// <summary>Builds the integrity errors of the chunk reader: which chunk, at which byte offset, and what it means.</summary>
internal sealed class ChunkFailureExplainer(ContainerHeader header)
{
    private const string Advice = "the archive was modified or truncated; try another copy.";

    public ArchiveIntegrityException AuthenticationFailed(long chunkIndex, bool isLast) => new(
        $"Chunk {chunkIndex}{(isLast ? " (the final chunk)" : "")} at byte offset {Offset(chunkIndex)} failed authentication: {Advice}");

    public ArchiveIntegrityException TooShort(long chunkIndex, int sealedLength) => new(
        $"The archive ends {sealedLength} bytes into chunk {chunkIndex} (byte offset {Offset(chunkIndex)}), too short to hold its " +
        $"{ContainerFormat.TagSize}-byte authentication tag: {Advice}");

    public ArchiveIntegrityException CutAtChunkBoundary(long chunkIndex) => new(
        $"The archive ends after chunk {chunkIndex} (byte offset {Offset(chunkIndex + 1)}), but that chunk is not the final one: " +
        $"the end is missing; {Advice}");

    public ArchiveIntegrityException DataAfterLastChunk(long chunkIndex) => new(
        $"Chunk {chunkIndex} is the final chunk, but more data follows it at byte offset {Offset(chunkIndex + 1)}: " +
        $"something was appended; {Advice}");

    public ArchiveIntegrityException EmptyFinalChunk(long chunkIndex) => new(
        $"Chunk {chunkIndex} at byte offset {Offset(chunkIndex)} is an empty final chunk, which a valid writer never produces: {Advice}");

    private long Offset(long chunkIndex) => ContainerFormat.ChunkOffset(header.Bytes.Length, header.ChunkSize, chunkIndex);
}
