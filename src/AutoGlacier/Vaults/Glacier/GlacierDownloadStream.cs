using AutoGlacier.Encryption;
using AutoGlacier.Hashing;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Reads a retrieval job's output from an offset in ranged GETs of one part size each (a power of two MiB, so
/// every range that starts on a boundary is tree-hash aligned and Glacier sends its tree hash, which is checked
/// when the range ends). A dropped connection is resumed from the current byte, keeping the range's hash state.
/// </summary>
internal sealed class GlacierDownloadStream : Stream
{
    private readonly GlacierClient _client;
    private readonly string _jobId;
    private readonly long _length;
    private readonly long _chunkSize;
    private readonly GlacierRetryPolicy _retry;
    private long _position;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _chunkEnd = -1;
    private TreeHash? _chunkHash;
    private string? _expectedHash;

    public GlacierDownloadStream(GlacierClient client, string jobId, long offset, long length)
    {
        _client = client;
        _jobId = jobId;
        _position = offset;
        _length = length;
        _chunkSize = client.Settings.PartSize;
        _retry = new GlacierRetryPolicy(client.Settings);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (_body is null)
                {
                    await OpenRangeAsync(cancellationToken).ConfigureAwait(false);
                }

                int wanted = (int)Math.Min(buffer.Length, _chunkEnd + 1 - _position);
                int read = await _body!.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The download of job {_jobId} ended at byte {_position}, before byte {_chunkEnd}.");
                }

                Advance(buffer.Span[..read]);
                return read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && attempt < _retry.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Resume this range from the current byte; the range's hash state is kept.
                CloseBody();
                await Task.Delay(_retry.Delay(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task OpenRangeAsync(CancellationToken cancellationToken)
    {
        bool newRange = _position > _chunkEnd;
        if (newRange)
        {
            long chunkStart = _position / _chunkSize * _chunkSize;
            _chunkEnd = Math.Min(chunkStart + _chunkSize, _length) - 1;
            _chunkHash?.Dispose();
            _chunkHash = _position == chunkStart ? new TreeHash() : null;
            _expectedHash = null;
        }

        _response = await _client.GetJobOutputAsync(_jobId, _position, _chunkEnd, cancellationToken).ConfigureAwait(false);
        if (newRange && _chunkHash is not null)
        {
            _expectedHash = _response.Headers.TryGetValues("x-amz-sha256-tree-hash", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        }

        _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Advance(ReadOnlySpan<byte> data)
    {
        _chunkHash?.Append(data);
        _position += data.Length;
        if (_position <= _chunkEnd)
        {
            return;
        }

        CloseBody();
        if (_chunkHash is not null && _expectedHash is not null)
        {
            string actual = Convert.ToHexStringLower(_chunkHash.Finish());
            if (!string.Equals(actual, _expectedHash, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArchiveIntegrityException(
                    $"Glacier job {_jobId} output bytes {_position - _chunkHash.Length}-{_chunkEnd}: tree hash {actual} does not match Glacier's {_expectedHash}. " +
                    "The download was corrupted; run the restore again (it resumes from the last good range).");
            }
        }
    }

    private void CloseBody()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
            _chunkHash?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
