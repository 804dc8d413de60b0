using AutoGlacier.Log;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.EndToEnd;

/// <summary>
/// A backup made where liblzma is missing (forced with AUTOGLACIER_LZMA=managed in a child process, since the engine
/// is chosen once per process) restores with liblzma and without it, and by hand with the Python decryptor and xz.
/// </summary>
public class ManagedLzmaEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_backup_on_the_managed_fallback_restores_everywhere()
    {
        using var world = new BackupWorld("lzma");
        var source = world.NewDirectory("source");
        TreeBuilder.Awkward(source);
        File.WriteAllBytes(Path.Combine(source, "several-members.bin"), TreeBuilder.Pseudo(9 << 20, 3));
        var managed = new Dictionary<string, string>
        {
            ["AUTOGLACIER_LZMA"] = "managed",
            ["AUTOGLACIER_PASSPHRASE"] = BackupWorld.Passphrase,
        };

        using (var backup = ChildCli.Start(managed, "backup", "--config", world.ConfigPath, "--file", source, "--recursive"))
        {
            Assert.True(await backup.WaitForExitAsync(Patience) == 0, backup.Output);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(backup.Output, "managed fallback"));
        }

        var run = Assert.Single(await world.Log.ListRunsAsync(CancellationToken.None));
        var withLiblzma = world.NewDirectory("restored-native");
        var restore = await world.RestoreAsync(new RunSelector { RunKey = run.Key }, withLiblzma);
        Assert.Empty(restore.Problems);
        TreeAssert.Identical(source, withLiblzma);

        var withoutLiblzma = world.NewDirectory("restored-managed");
        using (var child = ChildCli.Start(managed, "restore", "--config", world.ConfigPath, "--private-key", world.PrivateKeyPath,
                   "--run", run.Key, "--to", withoutLiblzma))
        {
            Assert.True(await child.WaitForExitAsync(Patience) == 0, child.Output);
        }

        TreeAssert.Identical(source, withoutLiblzma);
        AssertStockToolsRestore(world, run.Value.ArchiveId!, source);
    }

    private static void AssertStockToolsRestore(BackupWorld world, string archiveId, string source)
    {
        var (target, decrypted) = ByHandRestore.Run(world, archiveId);
        Assert.True(decrypted.AsSpan().StartsWith("LZIP"u8));
        TreeAssert.Identical(source, target);
    }
}
