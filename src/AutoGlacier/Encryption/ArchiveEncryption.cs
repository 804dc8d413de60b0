using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>
/// The AutoGlacier encrypted container (docs/FORMAT.md): a header naming each recipient's RSA key fingerprint and
/// its RSA-OAEP-SHA256-wrapped random AES-256 key, then AES-256-GCM chunks in a STREAM construction (nonce from a
/// chunk counter and a last-chunk flag, header bound as associated data).
/// </summary>
internal static class ArchiveEncryption
{
    /// <summary>The container format version this build writes.</summary>
    public const int FormatVersion = ContainerFormat.Version;

    /// <summary>Default plaintext bytes per chunk.</summary>
    public const int DefaultChunkSize = 1 << 20;

    /// <summary>Smallest chunk size a container may declare (4 KiB).</summary>
    public const int MinChunkSize = ContainerFormat.MinChunkSize;

    /// <summary>Largest chunk size a container may declare (64 MiB).</summary>
    public const int MaxChunkSize = ContainerFormat.MaxChunkSize;

    /// <summary>Returns a write-only stream that encrypts into <paramref name="output"/>; dispose writes the last chunk.</summary>
    /// <remarks>
    /// A fresh random AES-256 key is made for this archive and wrapped for every recipient (keys with the same
    /// fingerprint are wrapped once, in the order given). Flush does not end the
    /// stream. If writing to <paramref name="output"/> fails, dispose does not seal the container, so a half-written
    /// container never authenticates as complete.
    /// </remarks>
    /// <exception cref="ArgumentException">No recipients, more than 64, or a chunk size outside 4 KiB..64 MiB.</exception>
    public static Stream CreateEncryptor(Stream output, IReadOnlyList<RecipientKey> recipients, bool leaveOpen = false, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxChunkSize);
        var distinct = recipients.DistinctBy(r => r.Fingerprint).ToList();
        if (distinct.Count is 0 or > ContainerFormat.MaxRecipients)
        {
            throw new ArgumentException($"An archive needs 1..{ContainerFormat.MaxRecipients} recipient keys; got {distinct.Count}.", nameof(recipients));
        }

        var contentKey = RandomNumberGenerator.GetBytes(ContainerFormat.KeySize);
        try
        {
            var header = ContainerHeader.Create(chunkSize, distinct.Select(r => r.Wrap(contentKey)).ToList());
            return new ChunkEncryptingStream(output, leaveOpen, header, contentKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    /// <summary>Returns a read-only stream that decrypts <paramref name="input"/> and fails on tampering or truncation.</summary>
    /// <remarks>Reads and checks the header at once, so a wrong key fails here rather than at the first read.</remarks>
    /// <exception cref="ArchiveIntegrityException">Tampered, reordered or truncated content, or not an AutoGlacier container.</exception>
    /// <exception cref="WrongKeyException">The private key is not one of the recipients.</exception>
    public static Stream CreateDecryptor(Stream input, PrivateKey key, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            var header = ContainerHeader.Read(input);
            var contentKey = UnwrapContentKey(header, key);
            try
            {
                return new ChunkDecryptingStream(input, leaveOpen, header, contentKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(contentKey);
            }
        }
        catch when (!leaveOpen)
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>Reads the fingerprint, version and recipients of a container without any key.</summary>
    /// <exception cref="ArchiveIntegrityException">Not an AutoGlacier container, or a damaged header.</exception>
    public static ContainerInfo ReadInfo(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var header = ContainerHeader.Read(input);
        return new ContainerInfo(
            FormatVersion, header.ChunkSize, header.Bytes.Length, header.Recipients.Select(r => r.FingerprintHex).ToList());
    }

    private static byte[] UnwrapContentKey(ContainerHeader header, PrivateKey key)
    {
        var entry = header.Recipients.FirstOrDefault(r => r.Fingerprint.AsSpan().SequenceEqual(key.FingerprintBytes));
        if (entry is null)
        {
            throw new WrongKeyException(
                $"This archive was not encrypted for the private key {key.Fingerprint}. It was encrypted for the key(s) " +
                $"{string.Join(", ", header.Recipients.Select(r => r.FingerprintHex))}: use the private key matching one of them.");
        }

        // The fingerprint matched, so this is the right key: a failing unwrap means the wrapped key bytes were changed.
        var contentKey = key.TryUnwrap(entry.WrappedKey);
        if (contentKey is not { Length: ContainerFormat.KeySize })
        {
            if (contentKey is not null)
            {
                CryptographicOperations.ZeroMemory(contentKey);
            }
            throw new ArchiveIntegrityException(
                $"The archive key wrapped for {key.Fingerprint} does not decrypt with that key (RSA-OAEP failed): the archive header " +
                "was modified or is damaged; try another copy, or another recipient's key.");
        }
        return contentKey;
    }
}
