using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// Opens PKCS#8 EncryptedPrivateKeyInfo protected with PBES2 + scrypt (RFC 7914) + AES-CBC, as PyCryptodome's
/// "scryptAndAES128-CBC" writes it. .NET's PKCS#8 import knows only PBKDF2, and BouncyCastle's PBES2 parser rejects
/// scrypt parameters, so the structure is read with System.Formats.Asn1, the key derived with BouncyCastle's SCrypt
/// and decrypted with .NET's AES.
/// </summary>
internal static class ScryptPkcs8
{
    private const string Pbes2 = "1.2.840.113549.1.5.13";
    private const string Scrypt = "1.3.6.1.4.1.11591.4.11";
    private static readonly Dictionary<string, int> AesCbcKeySizes = new(StringComparer.Ordinal)
    {
        ["2.16.840.1.101.3.4.1.2"] = 16, ["2.16.840.1.101.3.4.1.22"] = 24, ["2.16.840.1.101.3.4.1.42"] = 32,
    };

    /// <summary>Largest scrypt cost accepted (PyCryptodome writes 2^14); bounds the memory a hostile file can demand.</summary>
    private const long MaxCost = 1 << 20;

    /// <summary>The decrypted PKCS#8 PrivateKeyInfo, or null when <paramref name="der"/> is not PBES2 with scrypt (another scheme).</summary>
    /// <exception cref="CryptographicException">The passphrase is wrong or the structure is damaged.</exception>
    public static byte[]? TryDecrypt(byte[] der, string passphrase)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var algorithm = outer.ReadSequence();
        if (algorithm.ReadObjectIdentifier() != Pbes2) { return null; }
        var parameters = algorithm.ReadSequence();
        var kdf = parameters.ReadSequence();
        if (kdf.ReadObjectIdentifier() != Scrypt) { return null; }
        var scrypt = kdf.ReadSequence();
        byte[] salt = scrypt.ReadOctetString();
        long cost = (long)scrypt.ReadInteger(), blockSize = (long)scrypt.ReadInteger(), parallelism = (long)scrypt.ReadInteger();
        var cipher = parameters.ReadSequence();
        string cipherOid = cipher.ReadObjectIdentifier();
        byte[] iv = cipher.ReadOctetString();
        byte[] encrypted = outer.ReadOctetString();
        if (!AesCbcKeySizes.TryGetValue(cipherOid, out int keySize) || cost > MaxCost || blockSize > 64 || parallelism > 16)
        {
            throw new CryptographicException($"unsupported key protection (cipher {cipherOid}, scrypt N={cost} r={blockSize} p={parallelism})");
        }
        byte[] key = SCrypt.Generate(System.Text.Encoding.UTF8.GetBytes(passphrase), salt, (int)cost, (int)blockSize, (int)parallelism, keySize);
        try
        {
            using var aes = Aes.Create();
            aes.Key = key;
            return aes.DecryptCbc(encrypted, iv, PaddingMode.PKCS7);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
