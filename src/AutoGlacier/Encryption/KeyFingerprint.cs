using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>Key fingerprints: SHA-256 of the DER SubjectPublicKeyInfo, the same bytes `openssl pkey -pubout -outform DER` prints.</summary>
internal static class KeyFingerprint
{
    public static byte[] Of(RSA rsa) => SHA256.HashData(rsa.ExportSubjectPublicKeyInfo());

    public static string Hex(byte[] fingerprint) => Convert.ToHexStringLower(fingerprint);
}
