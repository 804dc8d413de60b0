using AutoGlacier.Log;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.EndToEnd;

public class RoundTripTests
{
    [Theory]
    [InlineData("lzma")]
    [InlineData("zstd")]
    [InlineData("none")]
    public async Task A_tree_with_awkward_names_sizes_modes_and_links_restores_identically(string compression)
    {
        using var world = new BackupWorld(compression);
        var source = world.NewDirectory("source");
        TreeBuilder.Awkward(source);

        var backup = await world.BackupAsync([source]);
        Assert.Equal((RunStatus.Succeeded, ExitCodes.Success), (backup.Status, backup.ExitCode));

        var target = world.NewDirectory("restored");
        var restore = await world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target);
        Assert.Empty(restore.Problems);
        TreeAssert.Identical(source, target);
        Assert.Equal(TreeBuilder.AwkwardRegularFiles, restore.FilesVerified);
    }

    [Fact]
    public async Task A_300_MB_file_round_trips_and_the_log_records_its_hash()
    {
        using var world = new BackupWorld();
        var source = world.NewDirectory("big");
        var big = Path.Combine(source, "big.bin");
        TreeBuilder.WriteMixed(big, 300L << 20, seed: 7);

        var backup = await world.BackupAsync([big], recursive: false);
        Assert.Equal(ExitCodes.Success, backup.ExitCode);
        var logged = await world.Log.ReadFilesAsync(backup.RunKey!, CancellationToken.None).SingleAsync();
        Assert.Equal(TreeBuilder.Sha256Hex(big), logged.Hash);

        var target = world.NewDirectory("restored");
        var restore = await world.RestoreAsync(new RunSelector { Latest = true }, target);
        Assert.Empty(restore.Problems);
        Assert.Equal(1, restore.FilesVerified);
        Assert.Equal(TreeBuilder.Sha256Hex(big), TreeBuilder.Sha256Hex(BackupWorld.Restored(target, big)));
    }

    [Fact]
    public async Task Include_restores_only_matching_entries()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        var keep = Path.Combine(source, "docs", "keep.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(keep)!);
        File.WriteAllText(keep, "keep");
        File.WriteAllText(Path.Combine(source, "other.txt"), "other");
        var backup = await world.BackupAsync([source]);

        var target = world.NewDirectory("restored");
        var restore = await world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target, include: [source + "/docs/**"]);
        Assert.Empty(restore.Problems);
        Assert.True(File.Exists(BackupWorld.Restored(target, keep)));
        Assert.False(File.Exists(BackupWorld.Restored(target, Path.Combine(source, "other.txt"))));
    }

    [Fact]
    public async Task Restore_never_overwrites_unless_asked()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        var file = Path.Combine(source, "a.txt");
        File.WriteAllText(file, "original");
        var backup = await world.BackupAsync([file], recursive: false);
        var target = world.NewDirectory("restored");
        var existing = BackupWorld.Restored(target, file);
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        File.WriteAllText(existing, "precious");

        var refused = await world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target);
        Assert.Equal(ExitCodes.Error, refused.ExitCode);
        Assert.Contains(refused.Problems, p => p.Contains("already exists"));
        Assert.Equal("precious", File.ReadAllText(existing));

        var overwritten = await world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target, overwrite: true);
        Assert.Empty(overwritten.Problems);
        Assert.Equal("original", File.ReadAllText(existing));
    }

    [Fact]
    public async Task A_file_whose_name_is_near_the_255_byte_limit_restores()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        var file = Path.Combine(source, new string('n', 250));
        File.WriteAllText(file, "long");
        var backup = await world.BackupAsync([file], recursive: false);
        var target = world.NewDirectory("restored");
        var restore = await world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target);
        Assert.Empty(restore.Problems);
        Assert.Equal("long", File.ReadAllText(BackupWorld.Restored(target, file)));
    }
}
