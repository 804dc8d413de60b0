using System.Diagnostics;
using System.Text.RegularExpressions;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

/// <summary>
/// The live display under a real pseudo-terminal (util-linux `script`): it appears, is redrawn in place, and the final
/// screen holds the log lines and the result but no status line — also after Ctrl-C (SIGINT).
/// </summary>
public sealed class CliTerminalTests : IDisposable
{
    private readonly BackupWorld _world = new("lzma");
    private readonly string _source;

    public CliTerminalTests()
    {
        _source = _world.NewDirectory("source");
        var random = new Random(11);
        var words = Enumerable.Range(0, 3000).Select(i => "w" + random.Next(100_000)).ToArray();
        File.WriteAllText(Path.Combine(_source, "words.txt"), string.Join(' ', Enumerable.Range(0, 1_500_000).Select(_ => words[random.Next(words.Length)])));
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task The_live_display_is_redrawn_in_place_and_the_final_screen_is_clean()
    {
        var (exit, typescript) = await RunInTerminalAsync();
        if (typescript is null) { return; } // no `script`: passes locally, fails under CI (Tool.Available)

        Assert.Equal(0, exit);
        Assert.Contains("backup surveying: ", typescript);
        // Reading one 10 MB file into lzma's queue of blocks can pass between two redraws: then the next state shows.
        Assert.Matches(ArchiveStatus, typescript);
        Assert.Contains("\u001b[", typescript); // redrawn in place, not scrolled
        var screen = ScreenReplay.FinalScreen(typescript);
        Assert.DoesNotContain(screen, l => l.StartsWith("backup ", StringComparison.Ordinal));
        Assert.Contains(screen, l => l.StartsWith("Run ", StringComparison.Ordinal) && l.Contains("succeeded"));
    }

    [Fact]
    public async Task Ctrl_C_during_the_live_display_ends_the_run_failed_and_leaves_a_clean_screen()
    {
        if (!Tool.Available("/usr/bin/script")) { return; } // passes locally, fails under CI (Tool.Available)
        // One compression thread: lzma still works when the signal comes.
        using var terminal = StartInTerminal(ConfigFile.With(_world, "slow.json", ("COMPRESSION_THREADS", 1)));
        await WaitUntilAsync(() => ArchiveStatus.IsMatch(ReadTypescript()), TimeSpan.FromMinutes(2), "the live display never appeared");
        await Task.Delay(TimeSpan.FromSeconds(2)); // interrupted mid-file: lzma at work, the archive half-written
        Assert.False(terminal.HasExited, "the backup ended before Ctrl-C: " + ReadTypescript());

        // The shell exec'd the CLI, so the PID it wrote is the CLI's own (no shell or `timeout` in between to ignore SIGINT).
        int cliPid = int.Parse(File.ReadAllText(PidFile).Trim());
        using (var interrupt = Process.Start("kill", ["-INT", cliPid.ToString()])) { await interrupt.WaitForExitAsync(); }
        using var prompt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await terminal.WaitForExitAsync(prompt.Token);
        }
        catch (OperationCanceledException)
        {
            terminal.Kill(entireProcessTree: true); // the test stops what it started
            Assert.Fail("the backup did not stop within 20 s of SIGINT: " + ReadTypescript());
        }

        string typescript = ReadTypescript();
        Assert.True(terminal.ExitCode == ExitCodes.Error, $"exit {terminal.ExitCode}: {typescript}");
        var screen = ScreenReplay.FinalScreen(typescript);
        Assert.DoesNotContain(screen, l => l.StartsWith("backup ", StringComparison.Ordinal));
        Assert.Contains(screen, l => l.Contains("cancel", StringComparison.OrdinalIgnoreCase));
        // The result line says how far the run got (the 10 MB file may be read whole into lzma's blocks), never "N stored".
        Assert.Contains(screen, l => Regex.IsMatch(l, @"^Run \S+: failed \(cancelled\) after reading [12] of 2 files \(.*\) in \S+; nothing stored$"));
        Assert.DoesNotContain(screen, l => l.Contains(" stored, ", StringComparison.Ordinal));
        var run = Assert.Single(await _world.Log.ListRunsAsync(CancellationToken.None));
        Assert.Equal((RunStatus.Failed, "the backup was cancelled"), (run.Value.Status, run.Value.Error));
    }

    /// <summary>A status line of the archive's work (after the survey walk): reading, or finishing once every file is read.</summary>
    private static readonly Regex ArchiveStatus = new("backup (reading|finishing): ");

    private string TypescriptPath => Path.Combine(_world.Root, "typescript");
    private string PidFile => Path.Combine(_world.Root, "cli.pid");

    private string ReadTypescript() => File.Exists(TypescriptPath) ? File.ReadAllText(TypescriptPath) : "";

    /// <summary>Runs a backup inside `script` on a 120-column pty; returns its exit code and everything the terminal got.</summary>
    private async Task<(int Exit, string? Typescript)> RunInTerminalAsync()
    {
        if (!Tool.Available("/usr/bin/script")) { return (0, null); }
        using var process = StartInTerminal(_world.ConfigPath);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, ReadTypescript());
    }

    /// <summary>Starts a backup inside `script` (the CLI exec'd by its shell, its PID in <see cref="PidFile"/>).</summary>
    private Process StartInTerminal(string configPath)
    {
        string cli = ChildCli.DllPath();
        string command = $"stty cols 120 rows 40; echo $$ > {PidFile}; exec dotnet {cli} backup --config {configPath} --file {_source} --recursive";
        var start = new ProcessStartInfo("script") { ArgumentList = { "-qfec", command, TypescriptPath }, RedirectStandardInput = true, RedirectStandardOutput = true };
        start.Environment["TERM"] = "xterm";
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        process.BeginOutputReadLine(); // the typescript has it all; the copy on stdout is drained, not shown
        return process;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string failure)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
