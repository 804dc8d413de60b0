using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

/// <summary>Encrypts and decrypts whole byte arrays through the streams under test.</summary>
internal static class Containers
{
    public const int SmallChunk = ArchiveEncryption.MinChunkSize;

    public static byte[] RandomBytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Encrypts, writing in pieces of <paramref name="writeSize"/> bytes so chunk boundaries fall mid-write.</summary>
    public static byte[] Encrypt(byte[] plaintext, IReadOnlyList<RecipientKey> recipients, int chunkSize = SmallChunk, int writeSize = 1000)
    {
        using var output = new MemoryStream();
        using (var encryptor = ArchiveEncryption.CreateEncryptor(output, recipients, leaveOpen: true, chunkSize))
        {
            for (var at = 0; at < plaintext.Length; at += writeSize)
            {
                encryptor.Write(plaintext, at, Math.Min(writeSize, plaintext.Length - at));
            }
        }
        return output.ToArray();
    }

    public static byte[] Encrypt(byte[] plaintext, int chunkSize = SmallChunk) => Encrypt(plaintext, [TestKeys.Alice.Recipient], chunkSize);

    public static byte[] Decrypt(byte[] container, PrivateKey key)
    {
        using var decryptor = ArchiveEncryption.CreateDecryptor(new MemoryStream(container), key);
        using var plaintext = new MemoryStream();
        decryptor.CopyTo(plaintext, 777);
        return plaintext.ToArray();
    }

    public static byte[] Decrypt(byte[] container)
    {
        using var key = TestKeys.Alice.OpenPrivate();
        return Decrypt(container, key);
    }

    /// <summary>Header length of a container with one RSA-2048 recipient: 20 fixed bytes + 32 + 2 + 256.</summary>
    public const int OneRecipientHeaderLength = 20 + 32 + 2 + 256;
}
