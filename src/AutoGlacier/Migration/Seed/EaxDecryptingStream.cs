using AutoGlacier.Encryption;
using AutoGlacier.Streams;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// Decrypts the seed's AES-EAX ciphertext as a stream (BouncyCastle's EAX; .NET has none). EAX authenticates only
/// at the very end: the last bytes come out, and the tag is checked, when the ciphertext ends; a wrong tag raises
/// <see cref="ArchiveIntegrityException"/>. Callers that write files must therefore authenticate a spooled copy
/// first (<see cref="SeedArchiveReader"/>).
/// </summary>
internal sealed class EaxDecryptingStream : ReadOnlyStream
{
    private const int ChunkSize = 64 * 1024;
    private readonly Stream _ciphertext;
    private readonly bool _leaveOpen;
    private readonly byte[] _tag;
    private readonly EaxBlockCipher _eax = new(AesUtilities.CreateEngine());
    private readonly byte[] _input = new byte[ChunkSize];
    private readonly byte[] _output = new byte[ChunkSize + 64];
    private int _outputStart;
    private int _outputEnd;
    private bool _finished;

    /// <summary>Decrypts <paramref name="ciphertext"/> (everything after the seed's header) with the unwrapped session key.</summary>
    public EaxDecryptingStream(Stream ciphertext, SeedArchiveHeader header, bool leaveOpen)
    {
        _ciphertext = ciphertext;
        _leaveOpen = leaveOpen;
        _tag = header.Tag;
        _eax.Init(false, new AeadParameters(new KeyParameter(header.SessionKey), header.Tag.Length * 8, header.Nonce));
    }

    /// <summary>Ciphertext bytes read so far.</summary>
    public long CiphertextRead { get; private set; }

    public override bool CanRead => true;

    public override int Read(Span<byte> buffer)
    {
        while (_outputStart == _outputEnd && !_finished)
        {
            int read = _ciphertext.Read(_input, 0, _input.Length);
            Decrypt(read);
        }
        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outputStart == _outputEnd && !_finished)
        {
            int read = await _ciphertext.ReadAsync(_input, cancellationToken).ConfigureAwait(false);
            Decrypt(read);
        }
        return Take(buffer.Span);
    }

    private void Decrypt(int read)
    {
        _outputStart = 0;
        if (read > 0)
        {
            CiphertextRead += read;
            _outputEnd = _eax.ProcessBytes(_input, 0, read, _output, 0);
            return;
        }
        // The seed stores the tag before the ciphertext; BouncyCastle expects it after, so it is fed last.
        _outputEnd = _eax.ProcessBytes(_tag, 0, _tag.Length, _output, 0);
        try
        {
            _outputEnd += _eax.DoFinal(_output, _outputEnd);
        }
        catch (InvalidCipherTextException ex)
        {
            throw new ArchiveIntegrityException(
                $"The seed archive does not authenticate (its EAX tag does not match after {CiphertextRead} bytes): it was modified, " +
                "truncated or damaged. Nothing from it was written; try another copy.", ex);
        }
        _finished = true;
    }

    private int Take(Span<byte> buffer)
    {
        int count = Math.Min(buffer.Length, _outputEnd - _outputStart);
        _output.AsSpan(_outputStart, count).CopyTo(buffer);
        _outputStart += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) { _ciphertext.Dispose(); }
        base.Dispose(disposing);
    }
}
