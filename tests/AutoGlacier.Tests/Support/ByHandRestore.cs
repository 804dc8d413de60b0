namespace AutoGlacier.Tests.Support;

/// <summary>The restore a user does without AutoGlacier: the Python decryptor, then <c>xz -d</c>, then <c>tar -x</c>.</summary>
internal static class ByHandRestore
{
    /// <summary>True when python3, xz and tar are installed where the by-hand restore expects them.</summary>
    public static bool Possible => Tool.Available("/usr/bin/xz") && Tool.Available("/usr/bin/python3") && Tool.Available("/usr/bin/tar");

    /// <summary>Restores <paramref name="archiveId"/> of <paramref name="world"/> into a new directory; returns it and the decrypted bytes.</summary>
    public static (string Target, byte[] Decrypted) Run(BackupWorld world, string archiveId)
    {
        var script = Path.Combine(Tool.RepoRoot(), "tools", "autoglacier-decrypt.py");
        var env = new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = BackupWorld.Passphrase };
        var decrypted = Tool.Run("/usr/bin/python3", [script, "--key", world.PrivateKeyPath, world.ArchiveFile(archiveId)], env: env);
        Assert.True(decrypted.ExitCode == 0, decrypted.Stderr);
        var tar = Tool.Run("/usr/bin/xz", ["-d", "-c"], decrypted.Stdout);
        Assert.True(tar.ExitCode == 0, tar.Stderr);
        var target = world.NewDirectory("by-hand");
        var extracted = Tool.Run("/usr/bin/tar", ["-x", "-p", "-C", target], tar.Stdout);
        Assert.True(extracted.ExitCode == 0, extracted.Stderr);
        return (target, decrypted.Stdout);
    }
}
