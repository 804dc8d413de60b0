using AutoGlacier.Cli;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

/// <summary>Progress when stderr is not a terminal: plain lines at most every --progress-interval; --quiet: none.</summary>
public class CliProgressTests
{
    [Fact]
    public async Task Without_a_terminal_progress_is_plain_lines_on_stderr_and_the_result_alone_on_stdout()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "data.bin"), TreeBuilder.Pseudo(1 << 20, 5));

        var run = await CliRun.InvokeAsync("backup", "--config", world.ConfigPath, "--file", source, "--recursive", "--progress-interval", "1ms");

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("backup stored: 2/2 files, 1.0 MiB/1.0 MiB (100%)", run.Err);
        Assert.DoesNotContain('\u001b', run.Err); // no control sequences in a log file
        Assert.StartsWith("Run ", run.Out);
        Assert.Single(run.Out.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_default_interval_keeps_a_short_run_to_its_final_line()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "short");

        var run = await CliRun.InvokeAsync("backup", "--config", world.ConfigPath, "--file", source, "--recursive");

        Assert.Single(run.Err.Split('\n'), l => l.StartsWith("backup ", StringComparison.Ordinal));
        Assert.Contains("backup stored:", run.Err);
    }

    [Fact]
    public async Task Quiet_prints_no_progress_and_no_information_only_the_result()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "quiet");

        var run = await CliRun.InvokeAsync("backup", "--config", world.ConfigPath, "--file", source, "--recursive", "--quiet", "--progress-interval", "1ms");

        Assert.True(run.Exit == 0, run.Err);
        Assert.Equal("", run.Err);
        Assert.StartsWith("Run ", run.Out);
    }

    [Fact]
    public async Task A_cancelled_backup_says_how_far_it_got_and_that_nothing_was_stored()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "a.bin"), TreeBuilder.Pseudo(1 << 20, 1));
        File.WriteAllBytes(Path.Combine(source, "b.bin"), TreeBuilder.Pseudo(1 << 20, 2));
        using var cancel = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new CancelOnProgress(cancel); // Ctrl-C as the first progress line appears

        int exit = await CliApp.InvokeAsync(["backup", "--config", world.ConfigPath, "--file", source, "--recursive", "--progress-interval", "1ms"],
            output, error, cancel.Token);

        Assert.True(exit == ExitCodes.Error, output + error.ToString());
        string result = output.ToString().Trim();
        Assert.Matches(@"^Run \S+: failed \(cancelled\) (after reading [01] of 3 files \(.* of 2\.0 MiB\)|before any file was read) in \S+; nothing stored$", result);
        Assert.DoesNotContain(" stored,", result, StringComparison.Ordinal);
        var run = Assert.Single(await world.Log.ListRunsAsync(CancellationToken.None));
        Assert.Equal((RunStatus.Failed, (string?)null), (run.Value.Status, run.Value.ArchiveId));
    }

    /// <summary>stderr that cancels the command when the first progress line is written (as a person pressing Ctrl-C would).</summary>
    private sealed class CancelOnProgress(CancellationTokenSource cancel) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (value?.Contains("backup reading: ", StringComparison.Ordinal) == true) { cancel.Cancel(); }
        }
    }

    [Fact]
    public async Task A_bad_progress_interval_is_a_usage_error()
    {
        var run = await CliRun.InvokeAsync("list", "--progress-interval", "soon");
        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("--progress-interval \"soon\" is not a duration", run.Err);
    }
}
