using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>The whole pipeline with BACKEND s3: BackupRunner → s3rver → RestoreRunner, byte for byte.</summary>
[Collection(S3Collection.Name)]
public sealed class S3BackupRoundTripTests(S3Fixture fixture)
{
    [Fact]
    public async Task Backup_to_deep_archive_then_restore_after_the_restore_request_is_byte_identical()
    {
        using var world = new BackupWorld("zstd");
        world.Config = S3TestData.WithS3(world.Config, fixture.Config(S3StorageClasses.DeepArchive));
        string source = world.NewDirectory("source");
        TreeBuilder.Awkward(source);
        File.WriteAllBytes(Path.Combine(source, "big.bin"), S3TestData.RandomBytes(12 << 20, seed: 3)); // incompressible: three 5 MiB parts

        BackupResult backup = await world.BackupAsync([source]);
        Assert.Equal((RunStatus.Succeeded, ExitCodes.Success), (backup.Status, backup.ExitCode));
        RunRecord record = (await world.Log.ListRunsAsync(CancellationToken.None)).Single(r => r.Key == backup.RunKey).Value;
        Assert.Equal(("s3", $"s3://{S3rverServer.Bucket}/{world.Config.S3Prefix}"), (record.Backend, record.VaultLocation));
        Assert.StartsWith(world.Config.S3Prefix + backup.RunKey, backup.ArchiveId, StringComparison.Ordinal);

        // First restore, without waiting: the object is in DEEP_ARCHIVE, so the run requests a restore and stops with a clear message.
        string early = world.NewDirectory("early");
        var pending = await Assert.ThrowsAsync<RetrievalPendingException>(() =>
            world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, early, retrieval: new RetrievalOptions { Wait = false }));
        Assert.Contains("is not readable yet: restore of", pending.Message);
        Assert.Contains("from DEEP_ARCHIVE requested (Standard tier, 7 days)", pending.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(early));

        // The restore layer completes restores at once: the second run downloads, verifies and extracts.
        string target = world.NewDirectory("restored");
        RestoreResult restore = await world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target);
        Assert.Empty(restore.Problems);
        TreeAssert.Identical(source, target);
    }
}
