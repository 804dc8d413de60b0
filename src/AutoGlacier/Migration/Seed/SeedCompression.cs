using AutoGlacier.Streams;
using System.IO.Compression;
using AutoGlacier.Compression;
using AutoGlacier.Restore;
using Org.BouncyCastle.Utilities.Bzip2;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// The seed's compressed tar, recognised from its first bytes: .tar.xz (COMPRESSION lzma, tarfile "w:xz"), .tar.gz,
/// .tar.bz2 or a plain tar. xz uses our liblzma decoder, gzip .NET's, bzip2 BouncyCastle's (already needed for EAX).
/// </summary>
internal static class SeedCompression
{
    private static readonly byte[] XzMagic = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
    private static readonly byte[] GzipMagic = [0x1F, 0x8B];
    private static readonly byte[] Bzip2Magic = "BZh"u8.ToArray();

    /// <summary>Returns the codec's name (lzma, gzip, bzip2, none) and the decompressed tar stream.</summary>
    public static async Task<(string Codec, Stream Tar)> OpenAsync(Stream compressed, CancellationToken cancellationToken)
    {
        var head = new byte[XzMagic.Length];
        int got = await compressed.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var prefix = head.AsSpan(0, got);
        var stream = new PrefixedStream(head[..got], compressed);
        if (prefix.StartsWith(XzMagic))
        {
            return ("lzma", CompressionCodecs.Create("lzma", new CompressionSettings()).CreateDecompressor(stream, leaveOpen: false));
        }
        if (prefix.StartsWith(GzipMagic)) { return ("gzip", new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false)); }
        if (prefix.StartsWith(Bzip2Magic)) { return ("bzip2", new CBZip2InputStream(stream)); }
        return ("none", stream);
    }
}
