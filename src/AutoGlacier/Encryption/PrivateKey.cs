using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>
/// A recipient's private key, loaded from passphrase-encrypted PKCS#8 PEM (ours or <c>openssl genpkey -aes-256-cbc</c>)
/// or from unencrypted PKCS#8 / PKCS#1 PEM. Dispose it as soon as the archive is opened.
/// </summary>
public sealed class PrivateKey : IDisposable
{
    private readonly RSA _rsa;
    private readonly byte[] _fingerprint;
    private bool _disposed;

    private PrivateKey(RSA rsa)
    {
        _rsa = rsa;
        _fingerprint = KeyFingerprint.Of(rsa);
        KeySizeBits = rsa.KeySize;
    }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo of the matching public key, lowercase hex.</summary>
    public string Fingerprint => KeyFingerprint.Hex(_fingerprint);

    /// <summary>RSA modulus size in bits.</summary>
    public int KeySizeBits { get; }

    /// <summary>Loads a private key; the passphrase may be null for an unencrypted key.</summary>
    /// <exception cref="AutoGlacierException">Missing file, or not an RSA private key.</exception>
    /// <exception cref="WrongPassphraseException">The passphrase does not open the key, or the key needs one and none was given.</exception>
    public static PrivateKey Load(string path, string? passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = PemKeyFile.ReadText(path, "private key");
        return FromPem(text, passphrase, $"private key file '{path}'");
    }

    /// <summary>Parses a PEM private key; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="AutoGlacierException">Not an RSA private key.</exception>
    /// <exception cref="WrongPassphraseException">The passphrase does not open the key, or the key needs one and none was given.</exception>
    public static PrivateKey FromPem(string pem, string? passphrase, string source = "private key")
    {
        ArgumentNullException.ThrowIfNull(pem);
        var label = PemKeyFile.FirstLabel(pem);
        if (label is PemKeyFile.PublicKeyLabel or PemKeyFile.RsaPublicKeyLabel)
        {
            throw new AutoGlacierException($"The {source} holds a PUBLIC key; decrypting needs the matching PRIVATE key.");
        }
        if (!PemKeyFile.IsPrivateLabel(label))
        {
            throw new AutoGlacierException(
                $"The {source} is not a PEM private key (expected '-----BEGIN ENCRYPTED PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----').");
        }
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new AutoGlacierException(
                $"The {source} uses the legacy OpenSSL PEM encryption, which is not supported. Convert it once with " +
                "'openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem'.");
        }

        var rsa = RSA.Create();
        try
        {
            Import(rsa, pem, label == PemKeyFile.EncryptedPrivateKeyLabel, passphrase, source);
            return new PrivateKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static void Import(RSA rsa, string pem, bool encrypted, string? passphrase, string source)
    {
        if (encrypted && string.IsNullOrEmpty(passphrase))
        {
            throw new WrongPassphraseException(
                $"The {source} is passphrase-protected and no passphrase was given: set RSA_PASSPHRASE or AUTOGLACIER_PASSPHRASE.");
        }
        try
        {
            if (encrypted)
            {
                rsa.ImportFromEncryptedPem(pem, passphrase);
            }
            else
            {
                rsa.ImportFromPem(pem);
            }
        }
        catch (CryptographicException e) when (encrypted)
        {
            // The exception text is OpenSSL's and never contains the passphrase, but keep ours free of it too.
            throw new WrongPassphraseException($"The passphrase does not open the {source} (or the key file is damaged).", e);
        }
        catch (CryptographicException e)
        {
            throw new AutoGlacierException($"The {source} is not a valid RSA private key: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"RSA-{KeySizeBits} private key {Fingerprint}";

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _rsa.Dispose();
    }

    internal byte[] FingerprintBytes => _fingerprint;

    /// <summary>Unwraps an archive key with RSA-OAEP-SHA256; null when OAEP decoding fails.</summary>
    internal byte[]? TryUnwrap(byte[] wrappedKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return _rsa.Decrypt(wrappedKey, RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
