using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

/// <summary>The reference decryptor (tools/autoglacier-decrypt.py) against containers this library makes.</summary>
public class PythonDecryptorTests
{
    private static readonly byte[] Plaintext = Containers.RandomBytes((5 * Containers.SmallChunk) + 1234, seed: 42);

    internal static ExternalProcess.Result RunScript(string keyPath, string passphrase, byte[] container)
    {
        var archive = Path.Combine(TestKeys.NewTempDirectory(), "archive.agc");
        File.WriteAllBytes(archive, container);
        return ExternalProcess.Run("/usr/bin/python3", [RepoPaths.DecryptScript, "--key", keyPath, archive],
            new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = passphrase });
    }

    private static byte[] EncryptForVectorKey(byte[] plaintext) =>
        Containers.Encrypt(plaintext, [TestKeys.Alice.Recipient, RecipientKey.Load(TestKeys.VectorPublicKeyPath)]);

    [Fact]
    public void Decrypts_a_library_made_multi_chunk_container_byte_for_byte()
    {
        var result = RunScript(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase, EncryptForVectorKey(Plaintext));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Plaintext, result.Stdout);
    }

    [Fact]
    public void Decrypts_an_empty_container()
    {
        var result = RunScript(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase, EncryptForVectorKey([]));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Opens_a_key_made_by_the_key_generator()
    {
        var dir = TestKeys.NewTempDirectory();
        var privatePath = Path.Combine(dir, "k.pem");
        var recipient = KeyPairGenerator.Generate(privatePath, Path.Combine(dir, "k.pub.pem"), "script-test-passphrase", bits: 2048);
        var result = RunScript(privatePath, "script-test-passphrase", Containers.Encrypt(Plaintext, [recipient]));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Plaintext, result.Stdout);
    }

    [Theory]
    [InlineData("flip-chunk")]
    [InlineData("flip-header")]
    [InlineData("drop-last-chunk")]
    [InlineData("cut-mid-chunk")]
    [InlineData("append")]
    [InlineData("swap")]
    public void Rejects_a_damaged_container(string damage)
    {
        var container = EncryptForVectorKey(Plaintext);
        var header = 20 + (2 * (32 + 2 + 256));
        var sealedChunk = Containers.SmallChunk + 16;
        byte[] damaged = damage switch
        {
            "flip-chunk" => Flipped(container, header + sealedChunk + 3),
            "flip-header" => Flipped(container, 15),
            "drop-last-chunk" => container[..(header + (5 * sealedChunk))],
            "cut-mid-chunk" => container[..(header + (2 * sealedChunk) + 100)],
            "append" => [.. container, 0],
            _ => [.. container[..header], .. container.AsSpan(header + sealedChunk, sealedChunk), .. container.AsSpan(header, sealedChunk), .. container[(header + (2 * sealedChunk))..]],
        };

        var result = RunScript(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase, damaged);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("autoglacier-decrypt:", result.Stderr);
    }

    [Fact]
    public void Rejects_a_wrong_key_and_a_wrong_passphrase_without_printing_it()
    {
        var forAliceOnly = Containers.Encrypt(Plaintext);
        var wrongKey = RunScript(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase, forAliceOnly);
        Assert.NotEqual(0, wrongKey.ExitCode);
        Assert.Contains("not encrypted for key " + TestKeys.VectorFingerprint, wrongKey.Stderr);

        var wrongPassphrase = RunScript(TestKeys.VectorPrivateKeyPath, "wrong-passphrase-XYZZY", EncryptForVectorKey(Plaintext));
        Assert.NotEqual(0, wrongPassphrase.ExitCode);
        Assert.Contains("wrong passphrase", wrongPassphrase.Stderr);
        Assert.DoesNotContain("XYZZY", wrongPassphrase.Stderr);
    }

    private static byte[] Flipped(byte[] container, int offset)
    {
        var copy = (byte[])container.Clone();
        copy[offset] ^= 0x80;
        return copy;
    }
}
