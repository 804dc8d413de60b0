using System.Security.Cryptography;
using AutoGlacier.Encryption;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// The head of a seed archive: the AES-128 session key wrapped with RSA-OAEP (SHA-1 and MGF1-SHA-1, PyCryptodome's
/// default) in one modulus-sized block, then the 16-byte EAX nonce and the 16-byte EAX tag.
/// </summary>
internal sealed record SeedArchiveHeader(byte[] SessionKey, byte[] Nonce, byte[] Tag)
{
    /// <summary>Bytes of the EAX nonce and of the tag.</summary>
    public const int NonceSize = 16, TagSize = 16;

    /// <summary>Reads the header from <paramref name="archive"/> and unwraps the session key with <paramref name="key"/>.</summary>
    /// <exception cref="WrongKeyException">The key does not unwrap the session key (another recipient, or not a seed archive).</exception>
    /// <exception cref="ArchiveIntegrityException">The archive ends inside its header.</exception>
    public static async Task<SeedArchiveHeader> ReadAsync(Stream archive, RSA key, CancellationToken cancellationToken)
    {
        byte[] head = new byte[(key.KeySize / 8) + NonceSize + TagSize];
        int got = await archive.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got < head.Length)
        {
            throw new ArchiveIntegrityException($"The seed archive is {got} bytes, shorter than its {head.Length}-byte header: truncated, or not a seed archive.");
        }
        int wrappedLength = key.KeySize / 8;
        byte[] sessionKey;
        try
        {
            sessionKey = key.Decrypt(head.AsSpan(0, wrappedLength).ToArray(), RSAEncryptionPadding.OaepSHA1);
        }
        catch (CryptographicException ex)
        {
            throw new WrongKeyException("This private key does not open the seed archive (RSA-OAEP unwrap failed): it was made for another key, " +
                "or it is not an archive of the Python tool. Pass the private key of the public key the run used (its fingerprint is in 'list --json').", ex);
        }
        if (sessionKey.Length is not (16 or 24 or 32))
        {
            throw new WrongKeyException($"The seed archive's session key is {sessionKey.Length} bytes, not an AES key: not an archive of the Python tool.");
        }
        return new SeedArchiveHeader(sessionKey, head[wrappedLength..(wrappedLength + NonceSize)], head[(wrappedLength + NonceSize)..]);
    }
}
