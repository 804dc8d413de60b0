using AutoGlacier.Log;
using static AutoGlacier.Tests.Log.LogTestData;

namespace AutoGlacier.Tests.Log;

public sealed class FileRecordSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Records_read_back_in_order_any_number_of_times_and_the_file_goes_on_dispose()
    {
        FileRecordSpool spool = Spool(_dir.Path, 10);

        Assert.Equal(10, spool.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(FileAt), spool.ReadAll());
        spool.Append(FileAt(10));
        Assert.Equal(Enumerable.Range(0, 11).Select(FileAt), spool.ReadAll());
        Assert.True(System.IO.File.Exists(spool.FilePath));

        spool.Dispose();
        Assert.False(System.IO.File.Exists(spool.FilePath));
    }

    [Fact]
    public void Records_longer_than_the_read_buffer_survive()
    {
        using FileRecordSpool spool = Spool(_dir.Path, 3, i => FileAt(i) with { Reason = new string('r', 200_000 * (i + 1)) });
        Assert.Equal([200_000, 400_000, 600_000], spool.ReadAll().Select(f => f.Reason!.Length));
    }
}
