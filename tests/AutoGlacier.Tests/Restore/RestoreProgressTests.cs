using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Restore;

/// <summary>Restore and verify report their progress through IProgress&lt;RestoreProgress&gt;, ending with the whole archive read.</summary>
public class RestoreProgressTests
{
    private sealed class Collector<T> : IProgress<T>
    {
        public List<T> Reports { get; } = [];

        public void Report(T value)
        {
            lock (Reports) { Reports.Add(value); }
        }
    }

    [Fact]
    public async Task Restore_and_verify_end_with_a_done_report_covering_the_archive_and_every_entry()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "data.bin"), TreeBuilder.Pseudo(3 << 20, 9));
        var backup = await world.BackupAsync([source]);
        var restoring = new Collector<RestoreProgress>();

        var restored = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = world.Config, Selector = new RunSelector { Latest = true }, PrivateKeyPath = world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase, TargetDirectory = world.NewDirectory("restored"), Progress = restoring,
        }, CancellationToken.None);

        Assert.Equal(0, restored.ExitCode);
        var last = restoring.Reports[^1];
        Assert.Equal(RestorePhase.Done, last.Phase);
        Assert.Equal(backup.ArchiveSize, last.ArchiveBytesRead);
        Assert.Equal(backup.ArchiveSize, last.ArchiveSize);
        Assert.Equal((2, 2), (last.EntriesDone, last.EntriesTotal!.Value));
        Assert.Equal(3 << 20, last.FileBytes);
        Assert.All(restoring.Reports, r => Assert.True(r.ArchiveBytesRead <= backup.ArchiveSize));

        var verifying = new Collector<RestoreProgress>();
        var verified = await VerifyRunner.RunAsync(world.Config, vault: null, new RunSelector { Latest = true }, world.PrivateKeyPath, BackupWorld.Passphrase,
            new RetrievalOptions(), NullLogger.Instance, verifying, CancellationToken.None);
        Assert.Equal(0, verified.ExitCode);
        Assert.Equal((RestorePhase.Done, 3L << 20), (verifying.Reports[^1].Phase, verifying.Reports[^1].FileBytes));
    }
}
