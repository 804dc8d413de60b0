namespace AutoGlacier.Tests.Support;

/// <summary>The restore a user does without AutoGlacier: the Python decryptor, then <c>xz -d</c>, then <c>tar -x</c>.</summary>
internal static class ByHandRestore
{
    /// <summary>True when python3, xz and tar are installed where the by-hand restore expects them.</summary>
    public static bool Possible => Tool.Available("/usr/bin/xz") && Tool.Available("/usr/bin/python3") && Tool.Available("/usr/bin/tar");

    /// <summary>Restores <paramref name="archiveId"/> of <paramref name="world"/> into a new directory; returns it and the decrypted bytes.</summary>
    public static (string Target, byte[] Decrypted) Run(BackupWorld world, string archiveId)
    {
        var decrypted = Decrypt(world, archiveId);
        var tar = Tool.Run("/usr/bin/xz", ["-d", "-c"], decrypted);
        Assert.True(tar.ExitCode == 0, tar.Stderr);
        var target = world.NewDirectory("by-hand");
        var extracted = Tool.Run("/usr/bin/tar", ["-x", "-p", "-C", target], tar.Stdout);
        Assert.True(extracted.ExitCode == 0, extracted.Stderr);
        return (target, decrypted);
    }

    /// <summary>The compressed stream inside <paramref name="archiveId"/>'s container, decrypted by tools/autoglacier-decrypt.py.</summary>
    public static byte[] Decrypt(BackupWorld world, string archiveId)
    {
        var script = Path.Combine(Tool.RepoRoot(), "tools", "autoglacier-decrypt.py");
        var env = new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = BackupWorld.Passphrase };
        var decrypted = Tool.Run("/usr/bin/python3", [script, "--key", world.PrivateKeyPath, world.ArchiveFile(archiveId)], env: env);
        Assert.True(decrypted.ExitCode == 0, decrypted.Stderr);
        return decrypted.Stdout;
    }
}

/// <summary>The restore of a snapshot made of several archives without AutoGlacier: tools/autoglacier-restore-snapshot.py.</summary>
internal static class ByHandSnapshotRestore
{
    /// <summary>True when python3 with <c>cryptography</c>, xz and zstd are installed; under CI a missing one fails instead.</summary>
    public static bool Possible => ByHandRestore.Possible && Tool.Available("/usr/bin/zstd") && PythonHasCryptography();

    /// <summary>Runs the script for <paramref name="runKey"/> of <paramref name="world"/> from its local catalogs and vault.</summary>
    public static (int ExitCode, string Stderr) Run(BackupWorld world, string runKey, string target, params string[] more) =>
        RunWithCatalogs(world, runKey, target, CatalogDirectory(world), more);

    /// <summary>Runs the script with the catalogs in <paramref name="catalogs"/> and the world's local vault.</summary>
    public static (int ExitCode, string Stderr) RunWithCatalogs(BackupWorld world, string runKey, string target, string catalogs, params string[] more)
    {
        var script = Path.Combine(Tool.RepoRoot(), "tools", "autoglacier-restore-snapshot.py");
        string[] args = [script, "--key", world.PrivateKeyPath, "--catalogs", catalogs,
            "--archives", Path.Combine(world.Config.LocalVaultDir, "archives"), "--run", runKey, "--to", target, .. more];
        var env = new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = BackupWorld.Passphrase };
        var result = Tool.Run("/usr/bin/python3", args, env: env);
        return (result.ExitCode, result.Stderr);
    }

    /// <summary>
    /// Step 1 of docs/FORMAT.md's "Restoring a snapshot made of several archives" as written there (the loop from
    /// <c>mkdir catalogs</c> to <c>done</c>): decrypts the vault's catalog objects into a directory of
    /// <c>RUNKEY.catalog.zst</c> files; returns that directory.
    /// </summary>
    public static string DecryptVaultCatalogs(BackupWorld world, IEnumerable<string> catalogObjects)
    {
        var doc = File.ReadAllText(Path.Combine(Tool.RepoRoot(), "docs", "FORMAT.md"));
        var section = doc[doc.IndexOf("### Restoring a snapshot made of several archives", StringComparison.Ordinal)..];
        var start = section.IndexOf("mkdir catalogs", StringComparison.Ordinal);
        var loop = section[start..(section.IndexOf("\ndone\n", start, StringComparison.Ordinal) + 5)].Replace("CATALOG_OBJECTS", "\"$@\"", StringComparison.Ordinal);
        var work = world.NewDirectory("by-hand-catalogs");
        File.Copy(Path.Combine(Tool.RepoRoot(), "tools", "autoglacier-decrypt.py"), Path.Combine(work, "autoglacier-decrypt.py"));
        File.CreateSymbolicLink(Path.Combine(work, "backup.pem"), world.PrivateKeyPath);
        var env = new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = BackupWorld.Passphrase };
        var result = Tool.Run("/bin/bash", ["-c", loop, "loop", .. catalogObjects], workingDirectory: work, env: env);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return Path.Combine(work, "catalogs");
    }

    /// <summary>Where the world's backups keep their local catalogs (beside the JSON log).</summary>
    public static string CatalogDirectory(BackupWorld world) => world.Config.JsonDatabase + ".catalogs";

    private static bool PythonHasCryptography()
    {
        var probe = Tool.Run("/usr/bin/python3", ["-c", "import cryptography"]);
        Assert.False(probe.ExitCode != 0 && Tool.InCi, "python3-cryptography is required under CI (.ci/run installs it)");
        return probe.ExitCode == 0;
    }
}
