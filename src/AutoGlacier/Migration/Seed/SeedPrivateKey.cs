using System.Security.Cryptography;
using AutoGlacier.Encryption;
using System.Formats.Asn1;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// Loads the Python seed's private key: PKCS#8 PEM encrypted with scrypt and AES-128-CBC (PyCryptodome's
/// "scryptAndAES128-CBC", which .NET cannot open: its PKCS#8 import knows only PBKDF2) through <see cref="ScryptPkcs8"/>, or an
/// unencrypted PKCS#8 / PKCS#1 PEM through .NET.
/// </summary>
internal static class SeedPrivateKey
{
    /// <summary>The key at <paramref name="path"/> as an RSA private key; dispose it once the session key is unwrapped.</summary>
    /// <exception cref="WrongPassphraseException">The key is protected and the passphrase is missing or does not open it.</exception>
    /// <exception cref="AutoGlacierException">The file is not an RSA private key.</exception>
    public static RSA Load(string path, string? passphrase)
    {
        string pem = PemKeyFile.ReadText(path, "private key");
        string source = $"private key file '{path}'";
        if (PemKeyFile.FirstLabel(pem) != PemKeyFile.EncryptedPrivateKeyLabel)
        {
            // Unencrypted (the seed with RSA_PASSPHRASE None), or a PBKDF2-protected key .NET reads itself.
            using var key = PrivateKey.FromPem(pem, passphrase, source);
            return ImportUnencrypted(pem);
        }
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new WrongPassphraseException($"The {source} is passphrase-protected and no passphrase was given: set RSA_PASSPHRASE or AUTOGLACIER_PASSPHRASE.");
        }
        return ImportEncrypted(pem, passphrase, source);
    }

    private static RSA ImportUnencrypted(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    private static RSA ImportEncrypted(string pem, string passphrase, string source)
    {
        PemFields fields = PemEncoding.Find(pem);
        byte[]? pkcs8 = null;
        var rsa = RSA.Create();
        try
        {
            pkcs8 = ScryptPkcs8.TryDecrypt(Convert.FromBase64String(pem[fields.Base64Data]), passphrase);
            if (pkcs8 is null) { rsa.ImportFromEncryptedPem(pem, passphrase); } // PBKDF2: .NET reads it
            else { rsa.ImportPkcs8PrivateKey(pkcs8, out _); }
            return rsa;
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException or FormatException)
        {
            rsa.Dispose();
            // Messages from the decryptor never hold the passphrase; ours do not either.
            throw new WrongPassphraseException($"The passphrase does not open the {source} (or the key file is damaged).", ex);
        }
        finally
        {
            if (pkcs8 is not null) { CryptographicOperations.ZeroMemory(pkcs8); }
        }
    }
}
