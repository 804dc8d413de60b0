using System.CommandLine;
using System.Text;
using System.Text.Json;
using AutoGlacier.Cli.Output;
using AutoGlacier.Configuration;
using AutoGlacier.Encryption;

namespace AutoGlacier.Cli.Commands;

/// <summary>
/// <c>autoglacier init</c>: writes a configuration file from options (by default at the default path, so every
/// other command then works without --config), optionally creating the key pair, and prints the next command.
/// </summary>
internal static class InitCommand
{
    private static readonly string[] Backends = ["local", "s3", "glacier"];

    public static Command Create(CliConsole console)
    {
        var options = new InitOptions();
        var command = new Command("init", "Write a configuration file (default: ~/.config/autoglacier/config.json) and, with --generate-key, the key pair. " +
            "Never overwrites an existing file.");
        options.AddTo(command);
        command.SetAction((parsed, _) => console.RunAsync(() => RunAsync(console, options.Read(parsed))));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, InitSettings settings)
    {
        string configPath = Path.GetFullPath(settings.ConfigPath ?? DefaultPaths.ConfigFile);
        if (File.Exists(configPath) || Directory.Exists(configPath))
        {
            throw new AutoGlacierException($"Refusing to overwrite the existing configuration '{configPath}': edit it, move it away, or choose another path with --config.");
        }

        if (settings.KeyPath is null == !settings.GenerateKey)
        {
            return await console.UsageErrorAsync("name the backups' public key with --key PATH, or create a key pair with --generate-key.").ConfigureAwait(false);
        }

        string json = ConfigJson(settings, Path.GetFullPath(settings.PublicKeyPath));
        // The same checks every command makes, before anything is written (a bad bucket name, a missing S3_BUCKET…).
        ConfigLoader.Validate(ConfigLoader.Parse(json, configPath, Path.GetDirectoryName(configPath)!));
        RecipientKey key = settings.GenerateKey ? await GenerateKeyAsync(console, settings).ConfigureAwait(false) : RecipientKey.Load(settings.PublicKeyPath);
        WriteNew(configPath, json);
        string next = NextCommand(settings.ConfigPath is null ? null : configPath);
        if (console.IsJson)
        {
            await console.WriteJsonAsync(new InitJson("init", ExitCodes.Success, configPath, settings.Backend, [Path.GetFullPath(settings.PublicKeyPath)],
                settings.GenerateKey ? Path.GetFullPath(settings.PrivateKeyPath) : null, key.Fingerprint, next), CliJsonContext.Relaxed.InitJson).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await console.Out.WriteLineAsync($"Wrote {configPath} (backend {settings.Backend}; public key {settings.PublicKeyPath}, fingerprint {key.Fingerprint}).").ConfigureAwait(false);
        if (settings.GenerateKey)
        {
            await console.Out.WriteLineAsync($"Wrote the private key {settings.PrivateKeyPath}. {KeygenCommand.KeyAdvice}").ConfigureAwait(false);
        }

        await console.Out.WriteLineAsync("Next: " + next).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<RecipientKey> GenerateKeyAsync(CliConsole console, InitSettings settings)
    {
        var passphrase = Passphrases.ForNewKey(console.Error);
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new ConfigurationException($"No passphrase for the new private key: set {Passphrases.EnvironmentVariable} or run init in a terminal. Nothing was written.");
        }

        await console.Error.WriteLineAsync("Creating an RSA-4096 key pair (a few seconds)…").ConfigureAwait(false);
        return KeyPairGenerator.Generate(settings.PrivateKeyPath, settings.PublicKeyPath, passphrase);
    }

    /// <summary>The configuration as the seed-compatible JSON every command reads; only what the options say, the rest stays default.</summary>
    private static string ConfigJson(InitSettings settings, string publicKey)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("BACKEND", settings.Backend);
            writer.WriteString("PUBL_RSA_KEY_PATH", publicKey);
            WriteIfSet(writer, "COMPRESSION", settings.Compression);
            WriteIfSet(writer, "LOCAL_VAULT_DIR", settings.VaultDir is { } dir ? Path.GetFullPath(dir) : null);
            WriteIfSet(writer, "REGION_NAME", settings.Region);
            WriteIfSet(writer, "S3_BUCKET", settings.Bucket);
            WriteIfSet(writer, "S3_STORAGE_CLASS", settings.StorageClass);
            WriteIfSet(writer, "VAULT_NAME", settings.Vault);
            WriteIfSet(writer, "ENDPOINT_URL", settings.EndpointUrl);
            WriteIfSet(writer, "AWS_PROFILE", settings.AwsProfile);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null) { writer.WriteString(key, value); }
    }

    /// <summary>Writes the file through a temp name, never replacing one that appeared meanwhile.</summary>
    private static void WriteNew(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = path + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string NextCommand(string? configPath) =>
        "autoglacier backup " + (configPath is null ? "" : $"--config {configPath} ") + "--file ~/Documents --recursive";

    /// <summary>The options of init, read into <see cref="InitSettings"/>.</summary>
    private sealed class InitOptions
    {
        private readonly Option<string?> _config = new("--config") { Description = "Where to write the configuration. Default: ~/.config/autoglacier/config.json (then no other command needs --config)" };
        private readonly Option<string> _backend = new("--backend") { Description = "local (a directory), s3 or glacier", DefaultValueFactory = _ => "local" };
        private readonly Option<string?> _bucket = new("--bucket") { Description = "s3: the bucket (S3_BUCKET)" };
        private readonly Option<string?> _region = new("--region") { Description = "s3, glacier: the AWS region (REGION_NAME)" };
        private readonly Option<string?> _vault = new("--vault") { Description = "glacier: the vault name (VAULT_NAME)" };
        private readonly Option<string?> _storageClass = new("--storage-class") { Description = "s3: DEEP_ARCHIVE (default), GLACIER, GLACIER_IR, STANDARD_IA, STANDARD" };
        private readonly Option<string?> _vaultDir = new("--vault-dir") { Description = "local: the vault directory (LOCAL_VAULT_DIR)" };
        private readonly Option<string?> _endpoint = new("--endpoint-url") { Description = "s3, glacier: an S3- or Glacier-compatible endpoint (ENDPOINT_URL)" };
        private readonly Option<string?> _profile = new("--aws-profile") { Description = "s3, glacier: a named AWS profile (AWS_PROFILE)" };
        private readonly Option<string?> _compression = new("--compression") { Description = "lzma (default), zstd or none" };
        private readonly Option<string?> _key = new("--key") { Description = "An existing public key (PEM) to encrypt backups with" };
        private readonly Option<bool> _generate = new("--generate-key") { Description = "Create the key pair (passphrase: AUTOGLACIER_PASSPHRASE, else a hidden prompt)" };
        private readonly Option<string> _privateKey = new("--private-key")
        {
            Description = "With --generate-key: where the private key goes. Default: ~/.config/autoglacier/keys/backup-private.pem",
            DefaultValueFactory = _ => Path.Combine(KeysDirectory, "backup-private.pem"),
        };
        private readonly Option<string> _publicKey = new("--public-key")
        {
            Description = "With --generate-key: where the public key goes. Default: ~/.config/autoglacier/keys/backup-public.pem",
            DefaultValueFactory = _ => Path.Combine(KeysDirectory, "backup-public.pem"),
        };

        private static string KeysDirectory => Path.Combine(Path.GetDirectoryName(DefaultPaths.ConfigFile)!, "keys");

        public void AddTo(Command command)
        {
            _backend.AcceptOnlyFromAmong(Backends);
            foreach (Option option in new Option[] { _config, _backend, _bucket, _region, _vault, _storageClass, _vaultDir, _endpoint, _profile, _compression, _key, _generate, _privateKey, _publicKey })
            {
                command.Options.Add(option);
            }
        }

        public InitSettings Read(ParseResult parsed) => new(parsed.GetValue(_config), parsed.GetValue(_backend)!, parsed.GetValue(_bucket),
            parsed.GetValue(_region), parsed.GetValue(_vault), parsed.GetValue(_storageClass), parsed.GetValue(_vaultDir), parsed.GetValue(_endpoint),
            parsed.GetValue(_profile), parsed.GetValue(_compression), parsed.GetValue(_key), parsed.GetValue(_generate),
            parsed.GetValue(_privateKey)!, parsed.GetValue(_key) ?? parsed.GetValue(_publicKey)!);
    }

    private sealed record InitSettings(string? ConfigPath, string Backend, string? Bucket, string? Region, string? Vault, string? StorageClass,
        string? VaultDir, string? EndpointUrl, string? AwsProfile, string? Compression, string? KeyPath, bool GenerateKey,
        string PrivateKeyPath, string PublicKeyPath);
}
