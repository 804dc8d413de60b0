using System.Formats.Tar;
using AutoGlacier.Compression;
using AutoGlacier.Encryption;
using AutoGlacier.Streams;
using AutoGlacier.Hashing;
using AutoGlacier.Vaults;

namespace AutoGlacier.Restore;

/// <summary>
/// Reads an archive back in one streaming pass: vault → archive hasher → decryptor → decompressor → read-ahead pipe
/// → tar reader.
/// The codec is recognised from the decrypted bytes themselves, so an archive restores without its log entry.
/// <see cref="FinishAsync"/> drains every layer to its end, so truncation and trailing damage are always detected.
/// </summary>
internal sealed class ArchiveReader : IAsyncDisposable
{
    private readonly Stream _raw;
    private readonly ArchiveHashingStream _hashing;
    private readonly Stream? _decrypted;
    private readonly Stream? _decompressed;

    private ArchiveReader(Stream raw, ArchiveHashingStream hashing, Stream? decrypted, Stream? decompressed, string? codecName)
    {
        _raw = raw;
        _hashing = hashing;
        _decrypted = decrypted;
        _decompressed = decompressed;
        CodecName = codecName;
        Tar = decompressed is null ? null : new TarReader(decompressed, leaveOpen: true);
    }

    /// <summary>The tar entries (null when opened without a key).</summary>
    public TarReader? Tar { get; }

    /// <summary>Stored archive bytes read so far (read from any thread, for progress).</summary>
    public long ArchiveBytesRead => _hashing.BytesHashed;

    /// <summary>The compression recognised in the decrypted stream.</summary>
    public string? CodecName { get; }

    /// <summary>Opens the archive; with a null key only the stored bytes are hashed.</summary>
    public static async Task<ArchiveReader> OpenAsync(IVault vault, string archiveId, PrivateKey? key, CancellationToken cancellationToken)
    {
        var raw = await vault.OpenReadAsync(archiveId, 0, cancellationToken).ConfigureAwait(false);
        var hashing = new ArchiveHashingStream(raw, leaveOpen: true);
        if (key is null) { return new ArchiveReader(raw, hashing, null, null, null); }
        var decrypted = ArchiveEncryption.CreateDecryptor(hashing, key, leaveOpen: true);
        var (codecName, sniffed) = await CodecSniffer.SniffAsync(decrypted, cancellationToken).ConfigureAwait(false);
        var codec = CompressionCodecs.Create(codecName, new CompressionSettings());
        // Reading, hashing, decrypting and decompressing run on their own thread, ahead of the tar reader, which parses,
        // hashes and writes files on another core.
        var decompressed = new ReadAheadStream(codec.CreateDecompressor(sniffed, leaveOpen: false), leaveOpen: false);
        return new ArchiveReader(raw, hashing, decrypted, decompressed, codecName);
    }

    /// <summary>
    /// Reads every layer to its end (authenticating the last encrypted chunk and the compression checks) and returns
    /// the stored archive's size, SHA-256 and tree hash.
    /// </summary>
    public Task<(long Size, string Sha256, string TreeHash)> FinishAsync(CancellationToken cancellationToken) =>
        _hashing.DrainAsync([_decompressed, _decrypted], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Tar is not null) { await Tar.DisposeAsync().ConfigureAwait(false); }
        if (_decompressed is not null) { await _decompressed.DisposeAsync().ConfigureAwait(false); }
        if (_decrypted is not null) { await _decrypted.DisposeAsync().ConfigureAwait(false); }
        await _hashing.DisposeAsync().ConfigureAwait(false);
        await _raw.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Recognises the compression layer from its first bytes (by <see cref="CodecRegistry"/>'s magic bytes).</summary>
internal static class CodecSniffer
{
    public static async Task<(string Codec, Stream Stream)> SniffAsync(Stream input, CancellationToken cancellationToken)
    {
        var head = new byte[CodecRegistry.MagicLength];
        var got = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var prefix = head.AsSpan(0, got);
        var codec = CodecRegistry.Recognise(prefix).Name;
        return (codec, new PrefixedStream(head[..got], input));
    }
}
