using System.Security.Cryptography;
using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

/// <summary>
/// RSA-2048 key pairs made once per test run (2048 bits keeps the suite fast) and written to a temporary directory,
/// unencrypted: they guard nothing.
/// </summary>
internal static class TestKeys
{
    /// <summary>All test directories live under one per-run root, removed when the test process exits.
    /// Declared first: static initialisers run in order and the key pairs below write into it.</summary>
    private static readonly string RunRoot = CreateRunRoot();

    public static KeyPair Alice { get; } = KeyPair.Create("alice");
    public static KeyPair Bob { get; } = KeyPair.Create("bob");
    public static KeyPair Carol { get; } = KeyPair.Create("carol");

    /// <summary>The committed vector key (made by `openssl genpkey -aes-256-cbc`) and its documented throwaway passphrase.</summary>
    public const string VectorPassphrase = "test-vector-passphrase-NOT-SECRET";
    public static string VectorPrivateKeyPath => Path.Combine(RepoPaths.Vectors, "test-key.pem");
    public static string VectorPublicKeyPath => Path.Combine(RepoPaths.Vectors, "test-key.pub.pem");
    public const string VectorFingerprint = "95d4287727686f7ca45a3a2175fcfcb74b5e3b075e535dd19b9b2842a05e25dd";

    public static string NewTempDirectory() => Directory.CreateDirectory(Path.Combine(RunRoot, Guid.NewGuid().ToString("N"))).FullName;

    private static string CreateRunRoot()
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "autoglacier-enc-" + Guid.NewGuid().ToString("N"))).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        return root;
    }

    internal sealed class KeyPair
    {
        private KeyPair(string privatePem, string publicPem, string directory, string name)
        {
            PrivatePem = privatePem;
            PublicPem = publicPem;
            PrivatePath = Path.Combine(directory, name + ".pem");
            PublicPath = Path.Combine(directory, name + ".pub.pem");
            File.WriteAllText(PrivatePath, privatePem);
            File.WriteAllText(PublicPath, publicPem);
            Recipient = RecipientKey.FromPem(publicPem);
        }

        public string PrivatePem { get; }
        public string PublicPem { get; }
        public string PrivatePath { get; }
        public string PublicPath { get; }
        public RecipientKey Recipient { get; }

        public PrivateKey OpenPrivate() => PrivateKey.FromPem(PrivatePem, null);

        public static KeyPair Create(string name)
        {
            using var rsa = RSA.Create(2048);
            return new KeyPair(rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem(), NewTempDirectory(), name);
        }
    }
}
