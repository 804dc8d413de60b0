using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

/// <summary>docs/FORMAT.md, its committed test vectors, and the bytes this library writes all agree.</summary>
public class FormatVectorTests
{
    private static readonly byte[] Vector1Plaintext = "AutoGlacier test vector 1\n"u8.ToArray();
    private static readonly byte[] Vector2Plaintext = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();

    private static byte[] Vector(int n) => File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, $"vector-{n}.agc"));

    public static TheoryData<int> VectorNumbers => [1, 2];

    private static byte[] ExpectedPlaintext(int n) => n == 1 ? Vector1Plaintext : Vector2Plaintext;

    [Theory]
    [MemberData(nameof(VectorNumbers))]
    public void The_library_decrypts_the_committed_vectors(int n)
    {
        using var key = PrivateKey.Load(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase);
        Assert.Equal(ExpectedPlaintext(n), Containers.Decrypt(Vector(n), key));
    }

    [Theory]
    [MemberData(nameof(VectorNumbers))]
    public void The_python_script_decrypts_the_committed_vectors(int n)
    {
        var result = PythonDecryptorTests.RunScript(TestKeys.VectorPrivateKeyPath, TestKeys.VectorPassphrase, Vector(n));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(ExpectedPlaintext(n), result.Stdout);
    }

    [Fact]
    public void The_format_document_holds_vector_1_and_its_plaintext()
    {
        var doc = File.ReadAllText(RepoPaths.FormatDoc);
        var hex = Regex.Match(doc, "<!-- vector-1 begin -->(.*?)<!-- vector-1 end -->", RegexOptions.Singleline).Groups[1].Value;
        var digits = Regex.Replace(hex, "[^0-9a-f]", "");
        Assert.Equal(Convert.ToHexStringLower(Vector(1)), digits);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Vector2Plaintext)), doc);
        Assert.Contains(TestKeys.VectorFingerprint, doc);
        Assert.Contains(TestKeys.VectorPassphrase, doc);
    }

    [Fact]
    public void A_fresh_container_parses_and_decrypts_by_the_documented_algorithm_alone()
    {
        var plaintext = Containers.RandomBytes(Containers.SmallChunk + 10);
        var recipients = new[] { TestKeys.Alice.Recipient, TestKeys.Bob.Recipient };
        var container = Containers.Encrypt(plaintext, recipients, chunkSize: Containers.SmallChunk);
        var span = container.AsSpan();

        Assert.Equal("AGLACIER\r\n\u001a\n", Encoding.ASCII.GetString(span[..12]));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(span[12..]));
        Assert.Equal((uint)Containers.SmallChunk, BinaryPrimitives.ReadUInt32BigEndian(span[14..]));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(span[18..]));
        var at = 20;
        var wrapped = new List<byte[]>();
        foreach (var recipient in recipients)
        {
            Assert.Equal(recipient.Fingerprint, Convert.ToHexStringLower(span.Slice(at, 32)));
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(at + 32)..]);
            Assert.Equal(256, length);
            wrapped.Add(span.Slice(at + 34, length).ToArray());
            at += 34 + length;
        }

        var header = span[..at];
        var info = ArchiveEncryption.ReadInfo(new MemoryStream(container));
        Assert.Equal(new[] { recipients[0].Fingerprint, recipients[1].Fingerprint }, info.RecipientFingerprints);
        Assert.Equal(at, info.HeaderLength);

        // Decrypt with plain .NET primitives, following docs/FORMAT.md step by step.
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestKeys.Bob.PrivatePem);
        var contentKey = rsa.Decrypt(wrapped[1], RSAEncryptionPadding.OaepSHA256);
        using var aes = new AesGcm(contentKey, 16);
        var aad = SHA256.HashData(header);
        var chunk0 = span.Slice(at, Containers.SmallChunk + 16);
        var chunk1 = span[(at + Containers.SmallChunk + 16)..];
        var output = new byte[plaintext.Length];
        aes.Decrypt(Nonce(0, last: false), chunk0[..^16], chunk0[^16..], output.AsSpan(0, Containers.SmallChunk), aad);
        aes.Decrypt(Nonce(1, last: true), chunk1[..^16], chunk1[^16..], output.AsSpan(Containers.SmallChunk), aad);
        Assert.Equal(plaintext, output);
    }

    private static byte[] Nonce(long counter, bool last)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(3), counter);
        nonce[11] = last ? (byte)1 : (byte)0;
        return nonce;
    }
}
