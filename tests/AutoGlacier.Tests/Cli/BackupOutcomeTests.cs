using AutoGlacier.Cli.Output;
using AutoGlacier.Log;

namespace AutoGlacier.Tests.Cli;

/// <summary>The backup's result line: a failed or cancelled run says how far it got and that nothing was stored.</summary>
public class BackupOutcomeTests
{
    private static readonly BackupProgress Midway = new(BytesRead: 3 << 20, BytesWritten: 1 << 20, CurrentFile: "/src/b.bin", BytesPerSecond: 1, FilesDone: 1, FilesTotal: 10)
    {
        BytesTotal = 40 << 20,
    };

    [Fact]
    public void A_cancelled_run_says_how_far_it_got_and_that_nothing_was_stored()
    {
        var result = new BackupResult { RunKey = "1.5", Status = RunStatus.Failed, FilesStored = 1, Error = "the backup was cancelled", Elapsed = TimeSpan.FromSeconds(3) };

        Assert.Equal("Run 1.5: failed (cancelled) after reading 1 of 10 files (3.0 MiB of 40.0 MiB) in 0:00:03; nothing stored",
            BackupOutcome.ResultLine(result, Midway));
    }

    [Fact]
    public void A_run_that_failed_before_reading_anything_says_so()
    {
        var result = new BackupResult { RunKey = "1.5", Status = RunStatus.Failed, Error = "the vault is unreachable" };

        Assert.Equal("Run 1.5: failed (the error is above) before any file was read in 0:00:00; nothing stored", BackupOutcome.ResultLine(result, null));
    }

    [Fact]
    public void A_failed_run_whose_archive_was_stored_before_the_failure_names_it()
    {
        var result = new BackupResult { RunKey = "1.5", Status = RunStatus.Failed, FilesStored = 2, PlaintextSize = 10, ArchiveId = "a-1", Error = "log write failed" };

        Assert.Equal("Run 1.5: failed (the error is above) after reading 2 files (10 B) in 0:00:00; its archive a-1 was stored before the failure (see above)",
            BackupOutcome.ResultLine(result, null));
    }

    [Fact]
    public void A_stored_run_says_what_it_stored()
    {
        var result = new BackupResult { RunKey = "1.5", Status = RunStatus.Succeeded, FilesStored = 2, ArchiveId = "a-1", ArchiveSize = 99, ExitCode = 0 };

        Assert.Equal("Run 1.5: succeeded, 2 stored, 0 skipped, archive a-1 (99 bytes) in 0:00:00", BackupOutcome.ResultLine(result, Midway));
    }
}
