using AutoGlacier.Encryption;

namespace AutoGlacier.Tests.Encryption;

public class EncryptorFailureTests
{
    /// <summary>An output that accepts some writes, then fails like a full disk.</summary>
    private sealed class FailingOutput(int writesAllowed) : MemoryStream
    {
        private int _writes;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (++_writes > writesAllowed)
            {
                throw new IOException("disk full (simulated)");
            }
            base.Write(buffer);
        }
    }

    [Fact]
    public void After_a_failed_write_dispose_does_not_seal_a_container_that_would_look_complete()
    {
        var output = new FailingOutput(writesAllowed: 2); // header and chunk 0
        var encryptor = ArchiveEncryption.CreateEncryptor(output, [TestKeys.Alice.Recipient], leaveOpen: true, Containers.SmallChunk);
        var data = Containers.RandomBytes(5 * Containers.SmallChunk);

        Assert.Throws<IOException>(() => encryptor.Write(data));
        var lengthAtFailure = output.Length;
        encryptor.Dispose();

        Assert.Equal(lengthAtFailure, output.Length);
        Assert.Throws<ArchiveIntegrityException>(() => Containers.Decrypt(output.ToArray()));
    }

    /// <summary>An output whose one write fails (a transient error), then accepts writes again.</summary>
    private sealed class FailsOnce(int failingWrite) : MemoryStream
    {
        private int _writes;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (++_writes == failingWrite)
            {
                throw new IOException("network blip (simulated)");
            }
            base.Write(buffer);
        }
    }

    [Fact]
    public void After_a_failed_write_nothing_more_is_written_even_when_the_output_recovers()
    {
        var output = new FailsOnce(failingWrite: 3); // header, chunk 0, then chunk 1 is lost
        var encryptor = ArchiveEncryption.CreateEncryptor(output, [TestKeys.Alice.Recipient], leaveOpen: true, Containers.SmallChunk);

        Assert.Throws<IOException>(() => encryptor.Write(Containers.RandomBytes(3 * Containers.SmallChunk)));
        var lengthAtFailure = output.Length;
        var again = Assert.Throws<IOException>(() => encryptor.Write(Containers.RandomBytes(3 * Containers.SmallChunk)));
        Assert.Contains("earlier write", again.Message, StringComparison.Ordinal);
        Assert.False(encryptor.CanWrite);
        encryptor.Dispose();

        Assert.Equal(lengthAtFailure, output.Length);
        Assert.Throws<ObjectDisposedException>(() => encryptor.Write(new byte[1]));
    }
}
