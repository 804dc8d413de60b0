using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>Creates RSA key pairs for AutoGlacier.</summary>
public static class KeyPairGenerator
{
    /// <summary>PBKDF2 iterations protecting the private key file (OWASP 2023 guidance for PBKDF2-HMAC-SHA256).</summary>
    public const int Pbkdf2Iterations = 600_000;

    /// <summary>
    /// Writes an RSA key pair: the private key as passphrase-encrypted PKCS#8 PEM (readable by <c>openssl pkey</c>),
    /// the public key as SubjectPublicKeyInfo PEM. Refuses to overwrite existing files.
    /// </summary>
    /// <exception cref="AutoGlacierException">A file exists, the passphrase is empty, or fewer than 2048 bits.</exception>
    public static RecipientKey Generate(string privateKeyPath, string publicKeyPath, string passphrase, int bits = 4096)
    {
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPath);
        ArgumentException.ThrowIfNullOrEmpty(publicKeyPath);
        Validate(privateKeyPath, publicKeyPath, passphrase, bits);

        using var rsa = RSA.Create(bits);
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);
        var privatePem = rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, pbe);
        var publicPem = rsa.ExportSubjectPublicKeyInfoPem();

        AtomicKeyFile.Write(privateKeyPath, privatePem + "\n", ownerOnly: true);
        try
        {
            AtomicKeyFile.Write(publicKeyPath, publicPem + "\n", ownerOnly: false);
        }
        catch
        {
            // Without its public half the new private key is useless; remove it so a retry can succeed.
            File.Delete(privateKeyPath);
            throw;
        }
        return RecipientKey.FromRsa(rsa, $"public key file '{publicKeyPath}'");
    }

    private static void Validate(string privateKeyPath, string publicKeyPath, string passphrase, int bits)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new AutoGlacierException(
                "Refusing to write an unprotected private key: give a non-empty passphrase (a backup private key opens every archive).");
        }
        if (bits is < ContainerFormat.MinRsaBits or > ContainerFormat.MaxRsaBits || bits % 8 != 0)
        {
            throw new AutoGlacierException(
                $"Cannot generate a {bits}-bit RSA key: use a multiple of 8 in {ContainerFormat.MinRsaBits}..{ContainerFormat.MaxRsaBits} (4096 recommended).");
        }
        if (Path.GetFullPath(privateKeyPath) == Path.GetFullPath(publicKeyPath))
        {
            throw new AutoGlacierException($"The private and public key paths are the same ('{privateKeyPath}'): give two different files.");
        }
        AtomicKeyFile.EnsureAbsent(privateKeyPath);
        AtomicKeyFile.EnsureAbsent(publicKeyPath);
    }
}
