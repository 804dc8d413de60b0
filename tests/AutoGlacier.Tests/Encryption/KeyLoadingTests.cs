using System.Security.Cryptography;
using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

public class KeyLoadingTests
{
    [Fact]
    public void Pkcs1_public_key_loads_with_the_same_fingerprint_as_its_SubjectPublicKeyInfo()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.Alice.PublicPem);
        var pkcs1 = RecipientKey.FromPem(rsa.ExportRSAPublicKeyPem());
        Assert.Equal(TestKeys.Alice.Recipient.Fingerprint, pkcs1.Fingerprint);
    }

    [Fact]
    public void Fingerprint_is_the_SHA256_of_the_DER_SubjectPublicKeyInfo_as_openssl_prints_it()
    {
        var result = ExternalProcess.Run("/usr/bin/openssl", ["pkey", "-pubin", "-in", TestKeys.VectorPublicKeyPath, "-outform", "DER"]);
        Assert.Equal(0, result.ExitCode);
        var expected = Convert.ToHexStringLower(SHA256.HashData(result.Stdout));
        Assert.Equal(expected, RecipientKey.Load(TestKeys.VectorPublicKeyPath).Fingerprint);
        Assert.Equal(TestKeys.VectorFingerprint, expected);
    }

    [Fact]
    public void A_1024_bit_public_key_is_refused()
    {
        using var rsa = RSA.Create(1024);
        var error = Assert.Throws<AutoGlacierException>(() => RecipientKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.Contains("1024-bit", error.Message);
    }

    [Fact]
    public void A_private_key_given_as_the_public_key_is_refused_with_advice()
    {
        var error = Assert.Throws<AutoGlacierException>(() => RecipientKey.Load(TestKeys.Alice.PrivatePath));
        Assert.Contains("PUBLIC key instead", error.Message);
        Assert.Contains(TestKeys.Alice.PrivatePath, error.Message);
    }

    [Fact]
    public void A_missing_public_key_names_the_path_and_the_setting()
    {
        var path = Path.Combine(TestKeys.NewTempDirectory(), "absent.pub.pem");
        var error = Assert.Throws<AutoGlacierException>(() => RecipientKey.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("PUBL_RSA_KEY_PATH", error.Message);
    }

    [Fact]
    public void Garbage_is_not_a_public_key()
    {
        Assert.Throws<AutoGlacierException>(() => RecipientKey.FromPem("hello"));
    }

    [Fact]
    public void Openssl_encrypted_pkcs8_private_key_loads_with_its_passphrase()
    {
        using var key = PrivateKey.Load(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase);
        Assert.Equal(TestKeys.VectorFingerprint, key.Fingerprint);
    }

    [Fact]
    public void Wrong_passphrase_is_reported_without_the_passphrase()
    {
        const string wrong = "wrong-passphrase-XYZZY";
        var error = Assert.Throws<WrongPassphraseException>(() => PrivateKey.Load(TestKeys.VectorPrivateKeyPath, wrong));
        Assert.DoesNotContain(wrong, error.ToString());
        Assert.DoesNotContain(TestKeys.VectorPassphrase, error.ToString());
    }

    [Fact]
    public void Missing_passphrase_names_the_environment_variables()
    {
        var error = Assert.Throws<WrongPassphraseException>(() => PrivateKey.Load(TestKeys.VectorPrivateKeyPath, null));
        Assert.Contains("RSA_PASSPHRASE", error.Message);
        Assert.Contains("AUTOGLACIER_PASSPHRASE", error.Message);
    }

    [Fact]
    public void Unencrypted_pkcs8_and_pkcs1_private_keys_load()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.Alice.PrivatePem);
        using var pkcs8 = PrivateKey.FromPem(rsa.ExportPkcs8PrivateKeyPem(), null);
        using var pkcs1 = PrivateKey.FromPem(rsa.ExportRSAPrivateKeyPem(), null);
        Assert.Equal(TestKeys.Alice.Recipient.Fingerprint, pkcs8.Fingerprint);
        Assert.Equal(TestKeys.Alice.Recipient.Fingerprint, pkcs1.Fingerprint);
    }

    [Fact]
    public void A_public_key_given_as_the_private_key_is_refused()
    {
        var error = Assert.Throws<AutoGlacierException>(() => PrivateKey.Load(TestKeys.Alice.PublicPath, null));
        Assert.Contains("PUBLIC key", error.Message);
    }

    [Fact]
    public void ToString_shows_only_the_fingerprint()
    {
        using var key = PrivateKey.Load(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase);
        Assert.Equal($"RSA-2048 private key {TestKeys.VectorFingerprint}", key.ToString());
        Assert.Equal($"RSA-2048 public key {TestKeys.Alice.Recipient.Fingerprint}", TestKeys.Alice.Recipient.ToString());
    }

    [Fact]
    public void Wrong_key_names_its_fingerprint_and_the_archive_recipients()
    {
        var container = Containers.Encrypt(Containers.RandomBytes(10), [TestKeys.Alice.Recipient, TestKeys.Bob.Recipient]);
        using var carol = TestKeys.Carol.OpenPrivate();
        var error = Assert.Throws<WrongKeyException>(() => Containers.Decrypt(container, carol));
        Assert.Contains(carol.Fingerprint, error.Message);
        Assert.Contains(TestKeys.Alice.Recipient.Fingerprint, error.Message);
        Assert.Contains(TestKeys.Bob.Recipient.Fingerprint, error.Message);
    }

    [Fact]
    public void A_disposed_private_key_cannot_decrypt()
    {
        var container = Containers.Encrypt(Containers.RandomBytes(10));
        var key = TestKeys.Alice.OpenPrivate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Containers.Decrypt(container, key));
    }
}
