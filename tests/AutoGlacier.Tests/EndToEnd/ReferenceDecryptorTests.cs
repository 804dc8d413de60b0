using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.EndToEnd;

/// <summary>The restore a user does in 20 years without AutoGlacier: the Python script, then xz and tar.</summary>
public class ReferenceDecryptorTests
{
    [Fact]
    public async Task Python_decryptor_then_xz_then_tar_restores_the_files()
    {
        if (!ByHandRestore.Possible) { return; }
        using var world = new BackupWorld("lzma");
        var source = world.NewDirectory("source");
        TreeBuilder.Awkward(source);
        File.WriteAllBytes(Path.Combine(source, "several-blocks.bin"), TreeBuilder.Pseudo(9 << 20, 3));
        var backup = await world.BackupAsync([source]);
        Assert.Equal(ExitCodes.Success, backup.ExitCode);

        var (target, _) = ByHandRestore.Run(world, backup.ArchiveId!);

        TreeAssert.Identical(source, target);
        var manifest = Directory.GetFiles(Path.Combine(target, ".autoglacier"), "manifest-*.json");
        Assert.Contains(backup.RunKey!, File.ReadAllText(Assert.Single(manifest)));
    }
}
