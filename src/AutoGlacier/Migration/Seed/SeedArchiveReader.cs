using System.Formats.Tar;
using System.Security.Cryptography;
using AutoGlacier.Hashing;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// Reads a seed archive the way <see cref="Restore.ArchiveReader"/> reads ours: stored bytes → hasher → header →
/// EAX decryption → decompression → tar. With a spool directory (restore) the whole ciphertext is first spooled and
/// authenticated (<see cref="SeedSpool"/>), so no entry is handed out before the tag verified; without one (verify,
/// which writes nothing) it decrypts as it downloads and the tag is checked by <see cref="FinishAsync"/>.
/// </summary>
internal sealed class SeedArchiveReader : IAsyncDisposable
{
    private readonly Stream _raw;
    private readonly ArchiveHashingStream _hashing;
    private readonly Stream? _spool;
    private readonly Stream? _decrypted;
    private readonly Stream? _tarStream;

    private SeedArchiveReader(Stream raw, ArchiveHashingStream hashing, Stream? spool, Stream? decrypted, Stream? tarStream, string? codec)
    {
        (_raw, _hashing, _spool, _decrypted, _tarStream, CodecName) = (raw, hashing, spool, decrypted, tarStream, codec);
        Tar = tarStream is null ? null : new TarReader(tarStream, leaveOpen: true);
    }

    /// <summary>The tar entries (null when opened without a key).</summary>
    public TarReader? Tar { get; }

    /// <summary>The compression found: lzma, gzip, bzip2 or none.</summary>
    public string? CodecName { get; }

    /// <summary>Opens the archive in <paramref name="raw"/> (owned); a null key only hashes the stored bytes.</summary>
    public static async Task<SeedArchiveReader> OpenAsync(Stream raw, RSA? key, string? spoolDirectory, CancellationToken cancellationToken)
    {
        var hashing = new ArchiveHashingStream(raw, leaveOpen: true);
        if (key is null) { return new SeedArchiveReader(raw, hashing, null, null, null, null); }
        Stream? spool = null;
        try
        {
            var header = await SeedArchiveHeader.ReadAsync(hashing, key, cancellationToken).ConfigureAwait(false);
            spool = spoolDirectory is null ? null : await SeedSpool.AuthenticateAsync(hashing, header, spoolDirectory, cancellationToken).ConfigureAwait(false);
            var decrypted = new EaxDecryptingStream(spool ?? hashing, header, leaveOpen: true);
            var (codec, tar) = await SeedCompression.OpenAsync(decrypted, cancellationToken).ConfigureAwait(false);
            return new SeedArchiveReader(raw, hashing, spool, decrypted, tar, codec);
        }
        catch
        {
            if (spool is not null) { await spool.DisposeAsync().ConfigureAwait(false); }
            await hashing.DisposeAsync().ConfigureAwait(false);
            await raw.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads every layer to its end (checking the EAX tag) and returns the stored archive's size, SHA-256 and tree hash.</summary>
    public Task<(long Size, string Sha256, string TreeHash)> FinishAsync(CancellationToken cancellationToken) =>
        _hashing.DrainAsync([_tarStream, _decrypted], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Tar is not null) { await Tar.DisposeAsync().ConfigureAwait(false); }
        if (_tarStream is not null) { await _tarStream.DisposeAsync().ConfigureAwait(false); }
        if (_decrypted is not null) { await _decrypted.DisposeAsync().ConfigureAwait(false); }
        if (_spool is not null) { await _spool.DisposeAsync().ConfigureAwait(false); }
        await _hashing.DisposeAsync().ConfigureAwait(false);
        await _raw.DisposeAsync().ConfigureAwait(false);
    }
}
