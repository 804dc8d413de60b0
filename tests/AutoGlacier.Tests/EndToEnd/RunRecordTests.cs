using AutoGlacier.Archive.Tar;
using AutoGlacier.Gathering;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.EndToEnd;

public class RunRecordTests
{
    [Fact]
    public async Task A_missing_file_is_skipped_with_its_reason_and_the_run_completes_with_warnings()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        var present = Path.Combine(source, "present.txt");
        File.WriteAllText(present, "here");
        var missing = Path.Combine(source, "missing.txt");

        var result = await world.BackupAsync([present, missing], recursive: false);

        Assert.Equal((RunStatus.CompletedWithWarnings, ExitCodes.CompletedWithWarnings, 1, 1),
            (result.Status, result.ExitCode, result.FilesStored, result.FilesSkipped));
        var run = await world.Log.GetRunAsync(result.RunKey!, CancellationToken.None);
        Assert.Equal(RunStatus.CompletedWithWarnings, run!.Status);
        Assert.NotNull(run.ArchiveTreeHash);
        var files = await world.Log.ReadFilesAsync(result.RunKey!, CancellationToken.None).ToListAsync();
        var skipped = Assert.Single(files, f => f.Status == FileStatus.Skipped);
        Assert.Equal(missing, skipped.Path);
        Assert.Contains("does not exist", skipped.Reason);
    }

    [Fact]
    public async Task Bad_configuration_fails_before_anything_is_logged()
    {
        using var world = new BackupWorld();
        var source = world.NewDirectory("source");
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => world.Config with { PublicKeyPaths = [Path.Combine(world.Root, "no-such-key.pem")] },
            Files = [source],
            RecurseDirectories = true,
        }, CancellationToken.None);
        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("no-such-key.pem", result.Error);
        Assert.False(File.Exists(world.Config.JsonDatabase));
    }

    [Fact]
    public async Task A_file_that_grows_while_read_is_marked_changed_and_the_tar_stays_valid()
    {
        using var dir = new TempDir();
        var path = dir.Write("growing.log", new byte[3 << 20]);
        var entry = new GatheredEntry(path, UnixFileInfo.Get(path));
        using var tarBytes = new MemoryStream();
        FileRecord record;
        var grown = false;
        await using (var writer = new ArchiveTarWriter(tarBytes))
        {
            record = await writer.WriteAsync(entry, _ =>
            {
                if (grown) { return; }
                grown = true;
                File.AppendAllText(path, "appended while the backup was reading");
            }, CancellationToken.None);
        }
        Assert.Equal(FileStatus.ChangedWhileRead, record.Status);
        Assert.Equal(3L << 20, record.Size);
        tarBytes.Position = 0;
        using var reader = new System.Formats.Tar.TarReader(tarBytes);
        var stored = reader.GetNextEntry();
        Assert.Equal(3L << 20, stored!.Length);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public async Task The_log_and_the_archive_never_contain_secrets()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        const string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => world.Config with { AwsAccessKeyId = "AKIDEXAMPLE", AwsSecretAccessKey = secret, RsaPassphrase = BackupWorld.Passphrase },
            Files = [source],
            RecurseDirectories = true,
        }, CancellationToken.None);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var log = File.ReadAllText(world.Config.JsonDatabase);
        Assert.DoesNotContain(secret, log);
        Assert.DoesNotContain(BackupWorld.Passphrase, log);
        Assert.DoesNotContain(secret, (world.Config with { AwsSecretAccessKey = secret }).ToString());
    }

    [Fact]
    public async Task Progress_reports_bytes_files_and_the_current_file()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "a.bin"), new byte[300_000]);
        File.WriteAllBytes(Path.Combine(source, "b.bin"), new byte[200_000]);
        var reports = new List<BackupProgress>();
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => world.Config,
            Files = [source],
            RecurseDirectories = true,
            Progress = new SynchronousProgress<BackupProgress>(reports.Add),
        }, CancellationToken.None);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        var last = reports[^1];
        Assert.Equal((500_000L, 3, 3), (last.BytesRead, last.FilesDone, last.FilesTotal));
        Assert.True(last.BytesWritten > 0);
        Assert.All(reports, r => Assert.Null(r.PartsInFlight)); // the local vault has no multipart upload
        Assert.Contains(reports, r => r.CurrentFile is { } file && file.StartsWith(source, StringComparison.Ordinal) && file.EndsWith(".bin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Progress_reports_the_survey_walk_counting_up_before_any_file_is_read()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        for (var i = 0; i < 50; i++) { File.WriteAllBytes(Path.Combine(source, $"f{i:D2}.bin"), new byte[1_000]); }
        var reports = new List<BackupProgress>();
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => world.Config,
            Files = [source],
            RecurseDirectories = true,
            // A slow consumer during the survey: each report outlasts the 250 ms spacing, so the walk's next counts are reported.
            Progress = new SynchronousProgress<BackupProgress>(p =>
            {
                reports.Add(p);
                if (p.Phase == BackupPhase.Surveying && reports.Count < 3) { Thread.Sleep(300); }
            }),
        }, CancellationToken.None);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        string[] order = [BackupPhase.Surveying, BackupPhase.Reading, BackupPhase.Finishing, BackupPhase.Stored];
        Assert.Equal(order, reports.Select(r => r.Phase).Distinct());
        Assert.Equal(reports.Select(r => Array.IndexOf(order, r.Phase)).Order(), reports.Select(r => Array.IndexOf(order, r.Phase)));
        var survey = reports.TakeWhile(r => r.Phase == BackupPhase.Surveying).ToList();
        Assert.Equal((0, 0L), (survey[0].FilesTotal, survey[0].BytesTotal));
        Assert.Contains(survey, r => r.FilesTotal is > 0 and < 51 && r.BytesTotal == (r.FilesTotal - 1) * 1_000L); // the directory, then files
        Assert.All(survey, r => Assert.Equal((0, 0L, (TimeSpan?)null), (r.FilesDone, r.BytesRead, r.EstimatedRemaining)));
        Assert.Equal(survey.Select(r => r.FilesTotal).Order(), survey.Select(r => r.FilesTotal));
        Assert.Equal((51, 50_000L), (reports.First(r => r.Phase == BackupPhase.Reading).FilesTotal, reports.First(r => r.Phase == BackupPhase.Reading).BytesTotal));
    }

    [Fact]
    public async Task Progress_counts_the_bytes_of_one_big_file_while_it_is_read_not_when_it_ends()
    {
        using var world = new BackupWorld("none");
        var big = Path.Combine(world.NewDirectory("source"), "big.bin");
        const int size = 16 << 20;
        File.WriteAllBytes(big, TreeBuilder.Pseudo(size, 9));
        var whileReading = new List<long>();
        var result = await BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => world.Config,
            Files = [big],
            // A slow consumer (a terminal, a log pipe): each report outlasts the tracker's 250 ms spacing, so the next
            // chunk the tar writer reads is reported too, without depending on how fast this machine reads.
            Progress = new SynchronousProgress<BackupProgress>(p =>
            {
                if (p.FilesDone == 0 && p.CurrentFile == big && whileReading.Count < 4)
                {
                    whileReading.Add(p.BytesRead);
                    Thread.Sleep(300);
                }
            }),
        }, CancellationToken.None);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Equal(4, whileReading.Count);
        Assert.Equal(0, whileReading[0]); // as the file starts
        Assert.All(whileReading.Skip(1), read => Assert.InRange(read, 1, size - 1)); // part of the file, before it ends
        Assert.Equal(whileReading.Order(), whileReading);
        Assert.Equal(whileReading.Count, whileReading.Distinct().Count());
    }
}
