using AutoGlacier.Streams;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// EAX authenticates only at the end of the whole archive, so before a restore writes anything the ciphertext is
/// copied to a private spool file in TMP_DIR while its tag is checked. The spool holds ciphertext only (nothing
/// secret reaches the disk) and is deleted when closed.
/// </summary>
internal static class SeedSpool
{
    /// <summary>
    /// Copies the rest of <paramref name="ciphertext"/> to a new spool in <paramref name="directory"/>, checks the EAX
    /// tag, and returns the spool positioned at its start (deleted on dispose).
    /// </summary>
    /// <exception cref="Encryption.ArchiveIntegrityException">The tag does not match; the spool is already deleted.</exception>
    public static async Task<FileStream> AuthenticateAsync(Stream ciphertext, SeedArchiveHeader header, string directory,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, $"autoglacier-seed-{Guid.NewGuid():N}.eax");
        var spool = new FileStream(path, NewFileOptions.Create(FileAccess.ReadWrite, 1 << 20, NewFileOptions.Private, FileOptions.DeleteOnClose));
        try
        {
            await using (var check = new EaxDecryptingStream(new SpoolingReadStream(ciphertext, spool), header, leaveOpen: false))
            {
                await check.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            await spool.FlushAsync(cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads from a source and writes every byte read to a copy (the source is left open).</summary>
    private sealed class SpoolingReadStream(Stream source, Stream copy) : ReadOnlyStream
    {
        public override bool CanRead => true;

        public override int Read(Span<byte> buffer)
        {
            int read = source.Read(buffer);
            copy.Write(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
            return read;
        }
    }
}
