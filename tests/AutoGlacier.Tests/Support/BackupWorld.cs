using AutoGlacier.Configuration;
using AutoGlacier.Encryption;
using AutoGlacier.Log;
using AutoGlacier.Restore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Tests.Support;

/// <summary>
/// A self-contained AutoGlacier installation in a temp directory: a key pair, a local vault, a log, a config file.
/// </summary>
public sealed class BackupWorld : IDisposable
{
    public const string Passphrase = "correct horse battery staple";
    private readonly TempDir _dir = new();

    public BackupWorld(string compression = "lzma")
    {
        Directory.CreateDirectory(_dir.Combine("keys"));
        Directory.CreateDirectory(_dir.Combine("tmp"));
        PublicKeyPath = _dir.Combine("keys", "public.pem");
        PrivateKeyPath = _dir.Combine("keys", "private.pem");
        KeyPairGenerator.Generate(PrivateKeyPath, PublicKeyPath, Passphrase, 2048);
        Config = new GteuConfig
        {
            Compression = compression,
            TmpDir = _dir.Combine("tmp"),
            JsonDatabase = _dir.Combine("log", "log.json"),
            PublicKeyPaths = [PublicKeyPath],
            LocalVaultDir = _dir.Combine("vault"),
        };
        ConfigPath = _dir.Write("config.json", $$"""
            {
              "COMPRESSION": "{{compression}}",
              "TMP_DIR": "{{Config.TmpDir}}",
              "JSON_DATABASE": "{{Config.JsonDatabase}}",
              "PUBL_RSA_KEY_PATH": "{{PublicKeyPath}}",
              "BACKEND": "local",
              "LOCAL_VAULT_DIR": "{{Config.LocalVaultDir}}"
            }
            """);
    }

    public GteuConfig Config { get; set; }
    public string ConfigPath { get; }
    public string PublicKeyPath { get; }
    public string PrivateKeyPath { get; }
    public string Root => _dir.Path;
    public JsonRunLog Log => new(Config.JsonDatabase);

    /// <summary>A fresh directory for data or restores inside the world.</summary>
    public string NewDirectory(string name)
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public Task<BackupResult> BackupAsync(IEnumerable<string> files, IEnumerable<string>? globs = null, bool recursive = true,
        string description = "test backup") =>
        BackupRunner.RunAsync(new BackupRequest
        {
            Config = () => Config,
            Files = files,
            Globs = globs ?? [],
            RecurseDirectories = recursive,
            Description = description,
            Logger = NullLogger.Instance,
        }, CancellationToken.None);

    public Task<RestoreResult> RestoreAsync(RunSelector selector, string target, string passphrase = Passphrase,
        IReadOnlyList<string>? include = null, bool overwrite = false, RetrievalOptions? retrieval = null) =>
        RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = Config,
            Selector = selector,
            PrivateKeyPath = PrivateKeyPath,
            Passphrase = passphrase,
            TargetDirectory = target,
            Include = include ?? [],
            Overwrite = overwrite,
            Retrieval = retrieval ?? new RetrievalOptions(),
            Logger = NullLogger.Instance,
        }, CancellationToken.None);

    /// <summary>The stored archive file of a local-vault archive id.</summary>
    public string ArchiveFile(string archiveId) => Path.Combine(Config.LocalVaultDir, "archives", archiveId + ".agc");

    /// <summary>The path a restored file has: restore root + absolute path without its leading '/'.</summary>
    public static string Restored(string restoreRoot, string originalPath) =>
        Path.Combine(restoreRoot, originalPath.TrimStart('/'));

    public void Dispose() => _dir.Dispose();
}
