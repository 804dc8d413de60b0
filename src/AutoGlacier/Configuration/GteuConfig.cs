namespace AutoGlacier.Configuration;

/// <summary>
/// The immutable configuration of a backup job. Settable in code (<c>new GteuConfig { … }</c> or <c>with</c>) or
/// loaded from a JSON file that uses the Python seed's key names (see <see cref="ConfigLoader"/>).
/// </summary>
/// <remarks><see cref="ToString"/> and <see cref="Summary"/> never include secrets.</remarks>
public sealed record GteuConfig
{
    /// <summary>COMPRESSION: <c>lzma</c> (default, decodable by stock <c>xz -d</c>), <c>zstd</c> or <c>none</c>.</summary>
    public string Compression { get; init; } = "lzma";

    /// <summary>COMPRESSION_LEVEL: codec preset (lzma 0–9, default 6; zstd 1–19, default 3). Null for the default.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>COMPRESSION_THREADS: worker threads for compression; null means one per core.</summary>
    public int? CompressionThreads { get; init; }

    /// <summary>TMP_DIR: where temporary files (file-list spool, manifest) go.</summary>
    public string TmpDir { get; init; } = Path.GetTempPath();

    /// <summary>
    /// SPOOL_ARCHIVE: cloud backends write the encrypted archive to TMP_DIR and upload from there, so an interrupted
    /// upload can be resumed (default true; needs room for one archive). False streams from memory: no resume.
    /// </summary>
    public bool SpoolArchive { get; init; } = true;

    /// <summary>
    /// BACKUP_MODE: <c>incremental</c> (default: each run stores only what changed since the previous successful
    /// snapshot of its series), <c>differential</c> (what changed since the last full: a restore needs at most two
    /// archives) or <c>full</c> (every run stores everything). See docs/SNAPSHOTS.md.
    /// </summary>
    public string BackupMode { get; init; } = "incremental";

    /// <summary>
    /// FULL_EVERY: the first run after this long since the last full snapshot is a full one (<c>180d</c>; <c>never</c>);
    /// null for the default: the storage's minimum billable duration, at least 30 days (DEEP_ARCHIVE 180d, GLACIER and
    /// the Glacier vault API 90d, local 30d), so a retired chain's full can be deleted without an early-deletion fee.
    /// </summary>
    public string? FullEvery { get; init; }

    /// <summary>
    /// CHANGE_DETECTION: <c>metadata</c> (default: a file whose type, size, mtime, ctime, inode, device, mode, owner
    /// and link target are those of the base is not read) or <c>content</c> (every file is read and hashed; only
    /// content not already held in the series is stored; catches edits that keep the mtime).
    /// </summary>
    public string ChangeDetection { get; init; } = "metadata";

    /// <summary>JSON_DATABASE: the flat JSON log, keyed by launch unix timestamp.</summary>
    public string JsonDatabase { get; init; } = DefaultPaths.JsonDatabase;

    /// <summary>RSA_PASSPHRASE: passphrase of the private key; only needed to restore or verify, never to back up.</summary>
    public string? RsaPassphrase { get; init; }

    /// <summary>PUBL_RSA_KEY_PATH: one or more recipient public keys (PEM). Each can decrypt the archive.</summary>
    public IReadOnlyList<string> PublicKeyPaths { get; init; } = [];

    /// <summary>BACKEND: <c>local</c> (default), <c>s3</c> or <c>glacier</c> (the backends in the registry).</summary>
    public string Backend { get; init; } = "local";

    /// <summary>LOCAL_VAULT_DIR (local backend): directory of the local vault.</summary>
    public string LocalVaultDir { get; init; } = DefaultPaths.LocalVaultDir;

    /// <summary>REGION_NAME: AWS region (s3 and glacier).</summary>
    public string RegionName { get; init; } = "us-east-1";

    /// <summary>VAULT_NAME (glacier backend): the Glacier vault's name.</summary>
    public string VaultName { get; init; } = "autoglacier";

    /// <summary>AWS_ACCESS_KEY_ID: optional; when absent the standard AWS credential chain is used.</summary>
    public string? AwsAccessKeyId { get; init; }

    /// <summary>AWS_SECRET_ACCESS_KEY: optional secret; never logged.</summary>
    public string? AwsSecretAccessKey { get; init; }

    /// <summary>ENDPOINT_URL: an S3-compatible (or test) endpoint; path-style addressing is used with it. Null for AWS.</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>AWS_PROFILE: a named profile from the AWS config/credentials files; null for the default chain.</summary>
    public string? AwsProfile { get; init; }

    /// <summary>PART_SIZE_MB: multipart part size in MiB; null for the backend's default.</summary>
    public int? PartSizeMb { get; init; }

    /// <summary>UPLOAD_CONCURRENCY: parts uploaded at the same time; null for the backend's default.</summary>
    public int? UploadConcurrency { get; init; }

    /// <summary>RETRIEVAL_TIER: Bulk, Standard or Expedited; null for Standard.</summary>
    public string? RetrievalTier { get; init; }

    /// <summary>S3_BUCKET (s3 backend): the bucket (required with BACKEND s3).</summary>
    public string? S3Bucket { get; init; }

    /// <summary>S3_PREFIX (s3 backend): prefix of every object key (default <c>autoglacier/</c>).</summary>
    public string S3Prefix { get; init; } = "autoglacier/";

    /// <summary>S3_STORAGE_CLASS (s3 backend): DEEP_ARCHIVE (default), GLACIER, GLACIER_IR, STANDARD_IA or STANDARD.</summary>
    public string S3StorageClass { get; init; } = "DEEP_ARCHIVE";

    /// <summary>RESTORE_DAYS (s3 backend): days a restored GLACIER/DEEP_ARCHIVE copy stays readable (1–365, default 7).</summary>
    public int RestoreDays { get; init; } = 7;

    /// <summary>CREATE_VAULT (glacier backend): create the Glacier vault when missing (default false: a missing vault is an error).</summary>
    public bool CreateVault { get; init; }

    /// <summary>
    /// Values of keys that a backend owns and this record has no property for (key → value as read: a string, a whole
    /// number or a boolean), so a backend can add keys without a change here; the backend reads them through its own
    /// settings object. The built-in backends' keys have the properties above.
    /// </summary>
    public IReadOnlyDictionary<string, object> BackendSettings { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object>.Empty;

    /// <summary>This configuration with backend key <paramref name="key"/> set to <paramref name="value"/> (null removes it).</summary>
    public GteuConfig WithBackendSetting(string key, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var settings = new Dictionary<string, object>(BackendSettings, StringComparer.Ordinal);
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }

        return this with { BackendSettings = settings };
    }

    /// <summary>
    /// A summary safe to log and to store in the JSON log: no passphrase, no secret key. The common keys, then each
    /// backend's keys that have a summary (<see cref="Vaults.BackendRegistry"/>), sorted by key.
    /// </summary>
    public IReadOnlyDictionary<string, string> Summary()
    {
        var summary = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["BACKEND"] = Backend,
            ["COMPRESSION"] = Compression,
            ["COMPRESSION_LEVEL"] = CompressionLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default",
            ["JSON_DATABASE"] = JsonDatabase,
            ["PUBL_RSA_KEY_PATH"] = string.Join(", ", PublicKeyPaths),
            ["REGION_NAME"] = RegionName,
            ["TMP_DIR"] = TmpDir,
            ["SPOOL_ARCHIVE"] = SpoolArchive ? "true" : "false",
            ["BACKUP_MODE"] = BackupMode,
            ["FULL_EVERY"] = FullEvery ?? "default",
            ["CHANGE_DETECTION"] = ChangeDetection,
            ["AWS_ACCESS_KEY_ID"] = AwsAccessKeyId is null ? "(credential chain)" : "(set)",
            ["ENDPOINT_URL"] = EndpointUrl ?? "(AWS)",
            ["RSA_PASSPHRASE"] = RsaPassphrase is null ? "(none)" : "(set)",
        };
        // A hook's command line may hold a webhook token: the summary says only that one is set (and nothing when
        // none is, so the summaries of runs without hooks stay as they were).
        if (OnSuccessCommand is not null) { summary["ON_SUCCESS_COMMAND"] = "(set)"; }
        if (OnFailureCommand is not null) { summary["ON_FAILURE_COMMAND"] = "(set)"; }
        foreach (ConfigKey key in Vaults.BackendRegistry.Keys)
        {
            if (key.Summary?.Invoke(this) is { } shown)
            {
                summary[key.Name] = shown;
            }
        }

        return summary;
    }

    /// <summary>
    /// ON_SUCCESS_COMMAND: a command line run through the shell (<c>/bin/sh -c</c>; <c>cmd /c</c> on Windows) after a
    /// backup stored its archive (succeeded or completed with warnings), with the run's key, status and counts in its
    /// environment (see <see cref="BackupHooks"/>). Its failure is a warning, never a failed backup.
    /// </summary>
    public string? OnSuccessCommand { get; init; }

    /// <summary>ON_FAILURE_COMMAND: as <see cref="OnSuccessCommand"/>, after a backup that failed.</summary>
    public string? OnFailureCommand { get; init; }


    /// <inheritdoc />
    public override string ToString() =>
        "GteuConfig { " + string.Join(", ", Summary().Select(kv => kv.Key + " = " + kv.Value)) + " }";

    /// <summary>Records print every property by default; route through <see cref="ToString"/> so secrets stay out.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(string.Join(", ", Summary().Select(kv => kv.Key + " = " + kv.Value)));
        return true;
    }
}

/// <summary>Default locations (XDG-style, under the user's home).</summary>
public static class DefaultPaths
{
    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>~/.config/autoglacier/config.json, the default configuration file.</summary>
    public static string ConfigFile => Path.Combine(Home, ".config", "autoglacier", "config.json");

    /// <summary>~/.local/share/autoglacier/log.json, the default JSON log.</summary>
    public static string JsonDatabase => Path.Combine(Home, ".local", "share", "autoglacier", "log.json");

    /// <summary>~/.local/share/autoglacier/vault, the default local vault.</summary>
    public static string LocalVaultDir => Path.Combine(Home, ".local", "share", "autoglacier", "vault");
}
