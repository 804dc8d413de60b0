namespace AutoGlacier.Encryption;

/// <summary>What a container header says, readable without any key.</summary>
/// <param name="FormatVersion">Container format version.</param>
/// <param name="ChunkSize">Plaintext bytes per chunk (all but the last).</param>
/// <param name="HeaderLength">Bytes of the header; the first chunk starts here.</param>
/// <param name="RecipientFingerprints">Lowercase hex SHA-256 fingerprints of the recipients' public keys, in header order.</param>
internal sealed record ContainerInfo(int FormatVersion, int ChunkSize, int HeaderLength, IReadOnlyList<string> RecipientFingerprints);
