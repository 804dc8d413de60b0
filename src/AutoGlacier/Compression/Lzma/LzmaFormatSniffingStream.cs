using AutoGlacier.Restore;
using AutoGlacier.Streams;

namespace AutoGlacier.Compression.Lzma;

/// <summary>
/// The lzma codec's decompressor: looks at the first bytes on the first read and hands the rest to the decoder for
/// what it finds: .lz (written by the managed fallback) or .xz (written with liblzma; decoded with liblzma when it is
/// loaded, else with SharpCompress). Either engine thus restores archives written by the other.
/// </summary>
internal sealed class LzmaFormatSniffingStream(Stream input, bool leaveOpen, LzmaEngine engine) : ReadOnlyStream
{
    private Stream? _decoder;
    private bool _disposed;

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_decoder is null)
        {
            var head = new byte[LzmaFormats.SniffLength];
            var got = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            _decoder = Open(head.AsSpan(0, got).ToArray());
        }

        return _decoder.Read(buffer);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_decoder is null)
        {
            var head = new byte[LzmaFormats.SniffLength];
            var got = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            _decoder = Open(head.AsSpan(0, got).ToArray());
        }

        return await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_decoder is not null)
            {
                _decoder.Dispose();
            }
            else if (!leaveOpen)
            {
                input.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private Stream Open(byte[] head)
    {
        // The prefixed stream owns input only when we do.
        Stream rest = leaveOpen ? new PrefixedStream(head, new PassThroughReadStream(input, leaveOpen: true)) : new PrefixedStream(head, input);
        return LzmaFormats.IsLzip(head) ? new Managed.LzipDecompressorStream(rest, leaveOpen: false)
            : engine == LzmaEngine.Native ? new XzDecompressorStream(rest, leaveOpen: false)
            : new Managed.ManagedXzDecompressorStream(rest, leaveOpen: false);
    }
}

/// <summary>The two container formats the lzma codec reads, told apart by their magic bytes.</summary>
internal static class LzmaFormats
{
    /// <summary>Bytes needed to tell the formats apart.</summary>
    public const int SniffLength = 6;

    /// <summary>True when <paramref name="head"/> starts an .lz file.</summary>
    public static bool IsLzip(ReadOnlySpan<byte> head) => head.StartsWith(Managed.LzipFormat.Magic);
}
