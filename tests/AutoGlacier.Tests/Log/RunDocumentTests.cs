using System.Text.Json;
using AutoGlacier.Log;
using static AutoGlacier.Tests.Log.LogTestData;

namespace AutoGlacier.Tests.Log;

public sealed class RunDocumentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Json(RunRecord record) => JsonSerializer.Serialize(record, LogJsonContext.Default.RunRecord);

    [Fact]
    public async Task A_written_run_document_parses_back_to_the_same_record_and_files()
    {
        RunRecord record = Record("manifest") with
        {
            Status = RunStatus.Succeeded,
            ArchiveSha256 = new string('b', 64),
            RecipientFingerprints = ["f1", "f2"],
            BackendState = new Dictionary<string, string> { ["k"] = "v" },
        };
        using FileRecordSpool spool = Spool(_dir.Path, 4);
        using var output = new MemoryStream();

        await JsonRunLog.WriteRunDocumentAsync(output, "1764232671.482113", record, spool, CancellationToken.None);

        using (JsonDocument parsed = JsonDocument.Parse(output.ToArray()))
        {
            JsonElement run = Assert.Single(parsed.RootElement.EnumerateObject()).Value;
            Assert.Equal(4, run.GetProperty("files").GetArrayLength());
        }

        output.Position = 0;
        using RunDocument document = await JsonRunLog.ReadRunDocumentAsync(output, _dir.File("read"), CancellationToken.None);
        Assert.Equal("1764232671.482113", document.RunKey);
        Assert.Equal(Json(record), Json(document.Record));
        var files = new List<FileRecord>();
        await foreach (FileRecord file in document.ReadFilesAsync(CancellationToken.None))
        {
            files.Add(file);
        }

        Assert.Equal(Enumerable.Range(0, 4).Select(FileAt), files);
        document.Dispose();
        Assert.Empty(Directory.GetFiles(_dir.File("read")));
    }

    [Fact]
    public async Task A_stream_that_is_not_a_run_document_is_rejected()
    {
        using var input = new MemoryStream("{\"a\": {}, \"b\": {}}"u8.ToArray());
        await Assert.ThrowsAsync<AutoGlacierException>(() =>
            JsonRunLog.ReadRunDocumentAsync(input, _dir.Path, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }
}
