using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;

namespace AutoGlacier.Tests.Migration.Seed;

/// <summary>
/// Makes backups exactly as the Python seed did, with the library it used (Debian python3-pycryptodome), by running
/// make_seed_archive.py; with an endpoint the archive is uploaded in one UploadArchive request through botocore.
/// </summary>
internal static class SeedPython
{
    public const string Python = "/usr/bin/python3";
    public const string Passphrase = "seed passphrase 7Kq";

    private static string Script => Path.Combine(Tool.RepoRoot(), "tests", "AutoGlacier.Tests", "Migration", "Seed", "make_seed_archive.py");

    /// <summary>True when python3 with PyCryptodome is here; under CI their absence fails the test.</summary>
    public static bool Available()
    {
        if (!Tool.Available(Python)) { return false; }
        var (exit, _, _) = Tool.Run(Python, ["-c", "import Cryptodome, botocore"]);
        Assert.False(exit != 0 && Tool.InCi, "python3-pycryptodome and python3-botocore are required under CI (.ci/run installs them)");
        return exit == 0;
    }

    /// <summary>One seed backup of <paramref name="files"/>; returns (run key, archive file or null, key directory).</summary>
    public static (string RunKey, string? Archive) Backup(string root, IEnumerable<string> files, string compression = "lzma",
        string? passphrase = Passphrase, LocalGlacierFixture? upload = null, string vault = "SeedVault", string? failAfter = null,
        string description = "seed backup")
    {
        var args = new List<string>
        {
            Script, "--out", Path.Combine(root, "out"), "--log", LogPath(root), "--key", KeyDirectory(root),
            "--compression", compression, "--vault", vault, "--region", "eu-west-1", "--description", description,
        };
        if (upload is not null) { args.AddRange(["--upload", upload.Endpoint]); }
        if (failAfter is not null) { args.AddRange(["--fail-after", failAfter]); }
        args.AddRange(files);
        var env = new Dictionary<string, string>
        {
            ["SEED_PASSPHRASE"] = passphrase ?? "",
            ["AWS_ACCESS_KEY_ID"] = LocalGlacierFixture.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = LocalGlacierFixture.SecretKey,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        };
        var (exit, stdout, stderr) = Tool.Run(Python, args, env: env);
        Assert.True(exit == 0, "make_seed_archive.py failed: " + stderr);
        string[] lines = System.Text.Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines[^1], lines.Length > 1 ? lines[0] : null);
    }

    public static string LogPath(string root) => Path.Combine(root, "log.json");

    public static string KeyDirectory(string root) => Path.Combine(root, "keys");

    public static string PrivateKey(string root) => Path.Combine(KeyDirectory(root), "my_rsa_private.pem");
}
