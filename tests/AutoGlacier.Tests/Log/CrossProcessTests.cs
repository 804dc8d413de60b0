using System.Diagnostics;
using System.Text.Json;
using AutoGlacier.Log;

namespace AutoGlacier.Tests.Log;

public sealed class CrossProcessTests : IDisposable
{
    private const int RunsPerProcess = 20;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_processes_writing_one_log_at_the_same_time_lose_nothing()
    {
        string logPath = _dir.File("log.json");
        using Process first = StartWriter(logPath, "A");
        using Process second = StartWriter(logPath, "B");
        await WaitAsync(first);
        await WaitAsync(second);

        using (JsonDocument parsed = JsonDocument.Parse(File.ReadAllBytes(logPath)))
        {
            Assert.Equal(2 * RunsPerProcess, parsed.RootElement.EnumerateObject().Count());
        }

        IReadOnlyList<KeyValuePair<string, RunRecord>> runs = await new JsonRunLog(logPath).ListRunsAsync(CancellationToken.None);
        string[] expected = [.. from tag in new[] { "A", "B" } from i in Enumerable.Range(0, RunsPerProcess) select $"{tag}-{i}"];
        Assert.Equal(expected.Order(), runs.Select(r => r.Value.Description).Order());
        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Value.Status));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    private Process StartWriter(string logPath, string tag)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "exec", WriterDll(), "runs", logPath, RunsPerProcess.ToString(), tag, _dir.File("tmp-" + tag) })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task WaitAsync(Process process)
    {
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"log writer exited with {process.ExitCode}: {await errors}");
    }

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH for `dotnet test`).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// The writer is built through a ProjectReference that does not copy it here, so find it beside this project:
    /// tests/AutoGlacier.Tests/bin/&lt;Configuration&gt;/&lt;tfm&gt;/ → tests/AutoGlacier.LogWriter/bin/&lt;Configuration&gt;/&lt;tfm&gt;/.
    /// </summary>
    private static string WriterDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = output.Name;
        string configuration = output.Parent!.Name;
        DirectoryInfo testsDir = output.Parent.Parent!.Parent!.Parent!;
        string dll = Path.Combine(testsDir.FullName, "AutoGlacier.LogWriter", "bin", configuration, tfm, "AutoGlacier.LogWriter.dll");
        Assert.True(File.Exists(dll), $"Build tests/AutoGlacier.LogWriter first: '{dll}' is missing.");
        return dll;
    }
}
