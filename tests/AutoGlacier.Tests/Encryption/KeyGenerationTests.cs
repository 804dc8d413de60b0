using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

public class KeyGenerationTests
{
    private const string Passphrase = "generated-test-passphrase";
    private readonly string _dir = TestKeys.NewTempDirectory();

    private string PrivatePath => Path.Combine(_dir, "backup.pem");
    private string PublicPath => Path.Combine(_dir, "backup.pub.pem");

    private static ExternalProcess.Result OpensslCheck(string privatePath, string passphrase) =>
        ExternalProcess.Run("/usr/bin/openssl", ["pkey", "-in", privatePath, "-passin", "env:TEST_KEY_PASS", "-noout"],
            new Dictionary<string, string> { ["TEST_KEY_PASS"] = passphrase });

    [Fact]
    public void Generates_an_encrypted_pkcs8_private_key_that_openssl_opens()
    {
        var recipient = KeyPairGenerator.Generate(PrivatePath, PublicPath, Passphrase, bits: 2048);

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(PrivatePath));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(PublicPath));
        Assert.Equal(0, OpensslCheck(PrivatePath, Passphrase).ExitCode);
        Assert.NotEqual(0, OpensslCheck(PrivatePath, "not-the-passphrase").ExitCode);

        using var key = PrivateKey.Load(PrivatePath, Passphrase);
        Assert.Equal(recipient.Fingerprint, key.Fingerprint);
        Assert.Equal(recipient.Fingerprint, RecipientKey.Load(PublicPath).Fingerprint);
        Assert.Equal(2048, recipient.KeySizeBits);
        Assert.Equal(["backup.pem", "backup.pub.pem"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_private_key_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix modes there
        }
        KeyPairGenerator.Generate(PrivatePath, PublicPath, Passphrase, bits: 2048);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PrivatePath));
    }

    [Fact]
    public void Generates_a_4096_bit_key_by_default()
    {
        var recipient = KeyPairGenerator.Generate(PrivatePath, PublicPath, Passphrase);
        Assert.Equal(4096, recipient.KeySizeBits);
        using var key = PrivateKey.Load(PrivatePath, Passphrase);
        var plaintext = Containers.RandomBytes(5000);
        Assert.Equal(plaintext, Containers.Decrypt(Containers.Encrypt(plaintext, [recipient]), key));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Refuses_to_overwrite_an_existing_key_file(bool privateExists)
    {
        var existing = privateExists ? PrivatePath : PublicPath;
        File.WriteAllText(existing, "precious");

        var error = Assert.Throws<AutoGlacierException>(() => KeyPairGenerator.Generate(PrivatePath, PublicPath, Passphrase, bits: 2048));

        Assert.Contains(existing, error.Message);
        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Refuses_keys_shorter_than_2048_bits()
    {
        var error = Assert.Throws<AutoGlacierException>(() => KeyPairGenerator.Generate(PrivatePath, PublicPath, Passphrase, bits: 1024));
        Assert.Contains("1024", error.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Refuses_an_empty_passphrase()
    {
        var error = Assert.Throws<AutoGlacierException>(() => KeyPairGenerator.Generate(PrivatePath, PublicPath, "", bits: 2048));
        Assert.Contains("passphrase", error.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
