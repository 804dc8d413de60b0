using AutoGlacier.Streams;
using AutoGlacier.Tests.Compression;

namespace AutoGlacier.Tests.Streams;

public class ReadAheadStreamTests
{
    [Theory]
    [InlineData(0, 7, 1)]
    [InlineData(1, 7, 1)]
    [InlineData(1_000_003, 4096, 2)]
    [InlineData(3_000_000, 1 << 20, 4)]
    public async Task ReturnsExactlyTheInnerBytesSyncAndAsync(int size, int bufferSize, int depth)
    {
        var data = TestData.Mixed(size, pieceSize: 100_000);

        using (var sync = new ReadAheadStream(new MemoryStream(data), leaveOpen: false, bufferSize, depth))
        {
            Assert.Equal(data, ReadInOddPieces(sync));
        }

        await using var async = new ReadAheadStream(new MemoryStream(data), leaveOpen: false, bufferSize, depth);
        var copy = new MemoryStream();
        await async.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(0, await async.ReadAsync(new byte[10]));
    }

    [Fact]
    public async Task AnInnerFailureComesAfterTheBytesBeforeItAndOnEveryLaterRead()
    {
        var data = TestData.Text(50_000);
        await using var stream = new ReadAheadStream(new FailingAfter(data), leaveOpen: false, bufferSize: 4096, depth: 2);
        var got = new MemoryStream();
        var buffer = new byte[1000];

        var failure = await Assert.ThrowsAsync<ArchiveIntegrityTestException>(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) { got.Write(buffer, 0, read); }
        });

        Assert.Equal(data, got.ToArray());
        Assert.Equal("broken after the data", failure.Message);
        Assert.Throws<ArchiveIntegrityTestException>(() => stream.Read(buffer));
    }

    [Fact]
    public void DisposingEarlyStopsTheReaderAndClosesTheInnerStreamUnlessLeftOpen()
    {
        var closed = new MemoryStream(TestData.Random(5_000_000));
        using (var stream = new ReadAheadStream(closed, leaveOpen: false, bufferSize: 64 * 1024, depth: 2))
        {
            Assert.Equal(100, stream.Read(new byte[100]));
        }
        Assert.False(closed.CanRead);

        var kept = new MemoryStream(TestData.Random(5_000_000));
        new ReadAheadStream(kept, leaveOpen: true, bufferSize: 64 * 1024, depth: 2).Dispose();
        Assert.True(kept.CanRead);
    }

    private static byte[] ReadInOddPieces(Stream stream)
    {
        var output = new MemoryStream();
        var buffer = new byte[12_345];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) { output.Write(buffer, 0, read); }
        return output.ToArray();
    }

    /// <summary>Returns its data, then fails the way a damaged archive layer does.</summary>
    private sealed class FailingAfter(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new ArchiveIntegrityTestException("broken after the data");
        }

        public override int Read(Span<byte> buffer)
        {
            var read = base.Read(buffer);
            return read > 0 ? read : throw new ArchiveIntegrityTestException("broken after the data");
        }
    }

    private sealed class ArchiveIntegrityTestException(string message) : IOException(message);
}
