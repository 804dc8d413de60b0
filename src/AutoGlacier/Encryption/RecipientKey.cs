using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>
/// A recipient's RSA public key (SubjectPublicKeyInfo or PKCS#1 PEM), at least 2048 bits. Only the public key is
/// held, so a backup host configured with it cannot read its own backups.
/// </summary>
public sealed class RecipientKey
{
    private readonly byte[] _subjectPublicKeyInfo;
    private readonly byte[] _fingerprint;

    private RecipientKey(byte[] subjectPublicKeyInfo, int keySizeBits)
    {
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        _fingerprint = System.Security.Cryptography.SHA256.HashData(subjectPublicKeyInfo);
        KeySizeBits = keySizeBits;
    }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex.</summary>
    public string Fingerprint => KeyFingerprint.Hex(_fingerprint);

    /// <summary>RSA modulus size in bits.</summary>
    public int KeySizeBits { get; }

    /// <summary>Loads a PEM public key file.</summary>
    /// <exception cref="AutoGlacierException">Missing file, not a public key, or shorter than 2048 bits.</exception>
    public static RecipientKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = PemKeyFile.ReadText(path, "public key (PUBL_RSA_KEY_PATH)");
        return FromPem(text, $"public key file '{path}'");
    }

    /// <summary>Parses a PEM public key ("PUBLIC KEY" or "RSA PUBLIC KEY"); <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="AutoGlacierException">Not an RSA public key, or shorter than 2048 bits.</exception>
    public static RecipientKey FromPem(string pem, string source = "public key")
    {
        ArgumentNullException.ThrowIfNull(pem);
        var label = PemKeyFile.FirstLabel(pem);
        if (PemKeyFile.IsPrivateLabel(label))
        {
            throw new AutoGlacierException(
                $"The {source} holds a PRIVATE key. Give the PUBLIC key instead (e.g. the .pub.pem written next to it): " +
                "the backup host must only hold the public key, and the private key belongs offline.");
        }
        if (label is not (PemKeyFile.PublicKeyLabel or PemKeyFile.RsaPublicKeyLabel))
        {
            throw new AutoGlacierException(
                $"The {source} is not a PEM public key (expected '-----BEGIN PUBLIC KEY-----' or '-----BEGIN RSA PUBLIC KEY-----').");
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new AutoGlacierException($"The {source} is not a valid RSA public key: {e.Message}", e);
        }
        return FromRsa(rsa, source);
    }

    /// <summary>The public half of <paramref name="rsa"/> as a recipient.</summary>
    /// <exception cref="AutoGlacierException">Shorter than 2048 bits.</exception>
    public static RecipientKey FromRsa(RSA rsa, string source = "public key")
    {
        ArgumentNullException.ThrowIfNull(rsa);
        if (rsa.KeySize is < ContainerFormat.MinRsaBits or > ContainerFormat.MaxRsaBits)
        {
            throw new AutoGlacierException(
                $"The {source} is a {rsa.KeySize}-bit RSA key; AutoGlacier needs {ContainerFormat.MinRsaBits}..{ContainerFormat.MaxRsaBits} bits " +
                "(archives must stay confidential for decades). Generate a new key pair (4096 bits recommended).");
        }
        return new RecipientKey(rsa.ExportSubjectPublicKeyInfo(), rsa.KeySize);
    }

    /// <inheritdoc />
    public override string ToString() => $"RSA-{KeySizeBits} public key {Fingerprint}";

    /// <summary>Wraps the archive's AES key for this recipient with RSA-OAEP (SHA-256, MGF1-SHA-256, empty label).</summary>
    internal RecipientEntry Wrap(ReadOnlySpan<byte> contentKey)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
        var wrapped = rsa.Encrypt(contentKey, RSAEncryptionPadding.OaepSHA256);
        return new RecipientEntry((byte[])_fingerprint.Clone(), wrapped);
    }
}
