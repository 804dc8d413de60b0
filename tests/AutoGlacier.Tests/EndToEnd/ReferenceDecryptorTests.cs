using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.EndToEnd;

/// <summary>The restore a user does in 20 years without AutoGlacier: the Python script, then xz and tar.</summary>
public class ReferenceDecryptorTests
{
    [Fact]
    public async Task Python_decryptor_then_xz_then_tar_restores_the_files()
    {
        if (!Tool.Available("/usr/bin/xz") || !Tool.Available("/usr/bin/python3") || !Tool.Available("/usr/bin/tar")) { return; }
        using var world = new BackupWorld("lzma");
        var source = world.NewDirectory("source");
        TreeBuilder.Awkward(source);
        File.WriteAllBytes(Path.Combine(source, "several-blocks.bin"), TreeBuilder.Pseudo(9 << 20, 3));
        var backup = await world.BackupAsync([source]);
        Assert.Equal(ExitCodes.Success, backup.ExitCode);

        var script = Path.Combine(Tool.RepoRoot(), "tools", "autoglacier-decrypt.py");
        var env = new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = BackupWorld.Passphrase };
        var decrypted = Tool.Run("/usr/bin/python3", [script, "--key", world.PrivateKeyPath, world.ArchiveFile(backup.ArchiveId!)], env: env);
        Assert.True(decrypted.ExitCode == 0, decrypted.Stderr);
        var tar = Tool.Run("/usr/bin/xz", ["-d", "-c"], decrypted.Stdout);
        Assert.True(tar.ExitCode == 0, tar.Stderr);
        var target = world.NewDirectory("by-hand");
        var extracted = Tool.Run("/usr/bin/tar", ["-x", "-p", "-C", target], tar.Stdout);
        Assert.True(extracted.ExitCode == 0, extracted.Stderr);

        TreeAssert.Identical(source, target);
        var manifest = Directory.GetFiles(Path.Combine(target, ".autoglacier"));
        Assert.Contains(backup.RunKey!, File.ReadAllText(Assert.Single(manifest)));
    }
}
