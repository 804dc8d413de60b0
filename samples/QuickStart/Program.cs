// QuickStart: back up one folder into the local vault, creating a key pair on first use.
//   dotnet run --project samples/QuickStart -- ~/Documents
// Everything lives under ~/.config/autoglacier and ~/.local/share/autoglacier; no cloud account is needed.
using AutoGlacier;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;

if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: dotnet run --project samples/QuickStart -- <folder to back up>");
    return ExitCodes.Usage;
}

var keyDir = Path.Combine(Path.GetDirectoryName(DefaultPaths.ConfigFile)!, "keys");
var publicKey = Path.Combine(keyDir, "backup-public.pem");
var privateKey = Path.Combine(keyDir, "backup-private.pem");
if (!File.Exists(publicKey))
{
    var passphrase = QuickStartPassphrase.Read();
    if (passphrase is null)
    {
        Console.Error.WriteLine("Set AUTOGLACIER_PASSPHRASE (or run in a terminal) to choose the passphrase of your new private key.");
        return ExitCodes.Usage;
    }
    Directory.CreateDirectory(keyDir);
    Console.WriteLine("First run: creating an RSA-4096 key pair (a few seconds)...");
    KeyPairGenerator.Generate(privateKey, publicKey, passphrase);
    Console.WriteLine($"Private key: {privateKey}");
    Console.WriteLine("  Copy it (and remember its passphrase) somewhere OFF this machine, then you may delete it here:");
    Console.WriteLine("  backups only need the public key; restores need the private key.");
}

var job = new QuickStartJob(Path.GetFullPath(args[0]), publicKey);
var result = await job.ExecuteAsync();
if (result.RunKey is not null && result.ArchiveId is not null)
{
    Console.WriteLine();
    Console.WriteLine($"Run key: {result.RunKey} ({result.FilesStored} entries, {result.ArchiveSize} bytes in {job.Config.LocalVaultDir})");
    Console.WriteLine("Restore it with:");
    Console.WriteLine($"  dotnet run --project src/AutoGlacier.Cli -- restore --config {Quote(QuickStartJob.WriteConfigFile(job.Config))} " +
                      $"--private-key {Quote(privateKey)} --run {result.RunKey} --to ./restored");
}
return result.ExitCode;

static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;

/// <summary>Backs up one folder recursively with the default local vault and log.</summary>
internal sealed class QuickStartJob(string folder, string publicKey) : GteuJob
{
    public override GteuConfig Config { get; } = new() { PublicKeyPaths = [publicKey] };
    public override IEnumerable<string> Files => [folder];
    public override bool RecurseDirectories => true;
    public override string Description => $"QuickStart backup of {folder}";

    /// <summary>
    /// Writes the config the CLI needs to find this run and returns its path. A file of its own, so a user's
    /// config.json (which may point at another log or vault) is never used or changed by mistake.
    /// </summary>
    public static string WriteConfigFile(GteuConfig config)
    {
        var path = Path.Combine(Path.GetDirectoryName(DefaultPaths.ConfigFile)!, "quickstart.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new SortedDictionary<string, string>
        {
            ["BACKEND"] = "local",
            ["LOCAL_VAULT_DIR"] = config.LocalVaultDir,
            ["JSON_DATABASE"] = config.JsonDatabase,
            ["PUBL_RSA_KEY_PATH"] = config.PublicKeyPaths[0],
        }));
        return path;
    }
}

internal static class QuickStartPassphrase
{
    public static string? Read()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AUTOGLACIER_PASSPHRASE");
        if (!string.IsNullOrEmpty(fromEnv)) { return fromEnv; }
        if (Console.IsInputRedirected) { return null; }
        var first = ReadHidden("Choose a passphrase for your new private key: ");
        var second = ReadHidden("Type it again: ");
        if (first == second) { return first.Length > 0 ? first : null; }
        Console.Error.WriteLine("The two passphrases differ.");
        return null;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var text = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(true))
        {
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) { text.Length--; } }
            else { text.Append(key.KeyChar); }
        }
        Console.WriteLine();
        return text.ToString();
    }
}
