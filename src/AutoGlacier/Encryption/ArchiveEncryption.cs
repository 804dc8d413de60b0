namespace AutoGlacier.Encryption;

/// <summary>
/// The AutoGlacier encrypted container (docs/FORMAT.md): a header naming each recipient's RSA key fingerprint and
/// its RSA-OAEP-SHA256-wrapped random AES-256 key, then AES-256-GCM chunks in a STREAM construction (nonce from a
/// chunk counter and a last-chunk flag, header bound as associated data).
/// </summary>
public static class ArchiveEncryption
{
    /// <summary>The container format version this build writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Default plaintext bytes per chunk.</summary>
    public const int DefaultChunkSize = 1 << 20;

    /// <summary>Returns a write-only stream that encrypts into <paramref name="output"/>; dispose writes the last chunk.</summary>
    public static Stream CreateEncryptor(Stream output, IReadOnlyList<RecipientKey> recipients, bool leaveOpen = false, int chunkSize = DefaultChunkSize) => throw new NotImplementedException();

    /// <summary>Returns a read-only stream that decrypts <paramref name="input"/> and fails on tampering or truncation.</summary>
    /// <exception cref="ArchiveIntegrityException">Tampered, reordered or truncated content, or not an AutoGlacier container.</exception>
    /// <exception cref="WrongKeyException">The private key is not one of the recipients.</exception>
    public static Stream CreateDecryptor(Stream input, PrivateKey key, bool leaveOpen = false) => throw new NotImplementedException();
}

/// <summary>A recipient's RSA public key (SubjectPublicKeyInfo or PKCS#1 PEM), at least 2048 bits.</summary>
public sealed class RecipientKey
{
    private RecipientKey() { }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex.</summary>
    public string Fingerprint => throw new NotImplementedException();

    /// <summary>Loads a PEM public key file.</summary>
    /// <exception cref="AutoGlacierException">Missing file, not a public key, or shorter than 2048 bits.</exception>
    public static RecipientKey Load(string path) => throw new NotImplementedException();
}

/// <summary>A recipient's private key, loaded from passphrase-encrypted PKCS#8 PEM (or unencrypted PEM).</summary>
public sealed class PrivateKey : IDisposable
{
    private PrivateKey() { }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo of the matching public key, lowercase hex.</summary>
    public string Fingerprint => throw new NotImplementedException();

    /// <summary>Loads a private key; the passphrase may be null for an unencrypted key.</summary>
    /// <exception cref="WrongPassphraseException">The passphrase does not open the key.</exception>
    public static PrivateKey Load(string path, string? passphrase) => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose() => throw new NotImplementedException();
}

/// <summary>Creates RSA key pairs for AutoGlacier.</summary>
public static class KeyPairGenerator
{
    /// <summary>
    /// Writes an RSA key pair: the private key as passphrase-encrypted PKCS#8 PEM (readable by <c>openssl pkey</c>),
    /// the public key as SubjectPublicKeyInfo PEM. Refuses to overwrite existing files.
    /// </summary>
    public static RecipientKey Generate(string privateKeyPath, string publicKeyPath, string passphrase, int bits = 4096) => throw new NotImplementedException();
}

/// <summary>The archive is not intact: tampered, truncated, reordered, or not an AutoGlacier container.</summary>
public sealed class ArchiveIntegrityException : AutoGlacierException
{
    /// <inheritdoc />
    public ArchiveIntegrityException(string message) : base(message) { }
    /// <inheritdoc />
    public ArchiveIntegrityException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public ArchiveIntegrityException() { }
}

/// <summary>The private key is not one the archive was encrypted for.</summary>
public sealed class WrongKeyException : AutoGlacierException
{
    /// <inheritdoc />
    public WrongKeyException(string message) : base(message) { }
    /// <inheritdoc />
    public WrongKeyException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public WrongKeyException() { }
}

/// <summary>The passphrase does not open the private key.</summary>
public sealed class WrongPassphraseException : AutoGlacierException
{
    /// <inheritdoc />
    public WrongPassphraseException(string message) : base(message) { }
    /// <inheritdoc />
    public WrongPassphraseException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public WrongPassphraseException() { }
}
