// The Python seed's example job, in C#. Run with: dotnet run --project samples/SeedBackupJob
using AutoGlacier;
using AutoGlacier.Configuration;

return Backup.Run().ExitCode;   // Run is static on the job class, as the seed's classmethod

/// <summary>The seed's "shell scripts archive" job.</summary>
internal sealed class Backup : GteuJob<Backup>
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    // A configuration with the seed's keys; ConfigLoader.LoadFile("~/AutoGlacier/config.json") reads the same from JSON.
    public override GteuConfig Config => new()
    {
        Compression = "lzma",
        TmpDir = Path.GetTempPath(),
        JsonDatabase = Path.Combine(Home, "AutoGlacier", "log.json"),
        PublicKeyPaths = [Path.Combine(Home, "AutoGlacier", "my_rsa_public.pem")],
        Backend = "local",
        LocalVaultDir = Path.Combine(Home, "AutoGlacier", "vault"),
    };

    // Explicit list of files to be backed up (full paths)
    public override IEnumerable<string> Files => [Path.Combine(Home, "view.sh"), Path.Combine(Home, "login.sh")];

    // Glob patterns whose matches are added to Files
    public override IEnumerable<string> Globs => [Path.Combine(Home, "scripts", "*.sh")];

    // Archive description
    public override string Description => "shell scripts archive";

    // Additional file picking: the newest bug*.sh, as the seed's gather_hook
    public override void GatherHook(IList<string> files)
    {
        var newest = new DirectoryInfo(Path.Combine(Home, "bugging")) is { Exists: true } dir
            ? dir.EnumerateFiles("bug*.sh").MaxBy(f => f.LastWriteTimeUtc)
            : null;
        if (newest is not null) { files.Add(newest.FullName); }
    }
}
