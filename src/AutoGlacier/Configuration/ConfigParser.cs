using System.Text.Json;
using AutoGlacier.Vaults;

namespace AutoGlacier.Configuration;

/// <summary>Applies each key of a configuration object to a <see cref="GteuConfig"/>, collecting every problem.</summary>
internal static class ConfigParser
{
    /// <summary>The keys every configuration may have, and those several backends share.</summary>
    private static readonly Dictionary<string, ConfigKey.Setter> CommonSetters = new(StringComparer.Ordinal)
    {
        [ConfigKeys.Compression] = (c, v, r) =>
            r.String(ConfigKeys.Compression, v, Compression.CodecRegistry.NameList) is { } s ? c with { Compression = s } : c,
        [ConfigKeys.CompressionLevel] = (c, v, r) =>
            r.Integer(ConfigKeys.CompressionLevel, v, Compression.CodecRegistry.LevelList) is { } n ? c with { CompressionLevel = n } : c,
        [ConfigKeys.CompressionThreads] = (c, v, r) =>
            r.Integer(ConfigKeys.CompressionThreads, v, "1 or more") is { } n ? c with { CompressionThreads = n } : c,
        [ConfigKeys.TmpDir] = (c, v, r) => r.Path(ConfigKeys.TmpDir, v) is { } p ? c with { TmpDir = p } : c,
        [ConfigKeys.SpoolArchive] = (c, v, r) => r.Boolean(ConfigKeys.SpoolArchive, v) is { } b ? c with { SpoolArchive = b } : c,
        [ConfigKeys.JsonDatabase] = (c, v, r) => r.Path(ConfigKeys.JsonDatabase, v) is { } p ? c with { JsonDatabase = p } : c,
        [ConfigKeys.PublicKeyPath] = (c, v, r) =>
            r.PathList(ConfigKeys.PublicKeyPath, v) is { } p ? c with { PublicKeyPaths = p } : c,
        [ConfigKeys.RsaPassphrase] = (c, v, r) =>
            c with { RsaPassphrase = r.String(ConfigKeys.RsaPassphrase, v, "the key's passphrase") },
        [ConfigKeys.RegionName] = (c, v, r) =>
            r.String(ConfigKeys.RegionName, v, "an AWS region such as eu-west-1") is { } s ? c with { RegionName = s } : c,
        [ConfigKeys.AwsAccessKeyId] = (c, v, r) =>
            c with { AwsAccessKeyId = r.String(ConfigKeys.AwsAccessKeyId, v, "an access key id") },
        [ConfigKeys.AwsSecretAccessKey] = (c, v, r) =>
            c with { AwsSecretAccessKey = r.String(ConfigKeys.AwsSecretAccessKey, v, "the secret access key") },
        [ConfigKeys.Backend] = (c, v, r) => r.String(ConfigKeys.Backend, v, BackendRegistry.Names) is { } s ? c with { Backend = s } : c,
        [ConfigKeys.EndpointUrl] = (c, v, r) => c with { EndpointUrl = r.String(ConfigKeys.EndpointUrl, v, "an http(s) URL") },
        [ConfigKeys.AwsProfile] = (c, v, r) => c with { AwsProfile = r.String(ConfigKeys.AwsProfile, v, "a profile name") },
        [ConfigKeys.PartSizeMb] = (c, v, r) => c with { PartSizeMb = r.Integer(ConfigKeys.PartSizeMb, v, "part size in MiB") },
        [ConfigKeys.UploadConcurrency] = (c, v, r) =>
            c with { UploadConcurrency = r.Integer(ConfigKeys.UploadConcurrency, v, "parts in flight") },
        [ConfigKeys.RetrievalTier] = (c, v, r) => c with { RetrievalTier = r.String(ConfigKeys.RetrievalTier, v, "Bulk, Standard, Expedited") },
        [ConfigKeys.OnSuccessCommand] = (c, v, r) => c with { OnSuccessCommand = r.String(ConfigKeys.OnSuccessCommand, v, "a shell command line") },
        [ConfigKeys.BackupMode] = (c, v, r) =>
            r.String(ConfigKeys.BackupMode, v, Snapshots.SnapshotSettings.ModeList) is { } s ? c with { BackupMode = s } : c,
        [ConfigKeys.FullEvery] = (c, v, r) => c with { FullEvery = r.String(ConfigKeys.FullEvery, v, "days such as \"180d\", or \"never\"") },
        [ConfigKeys.ChangeDetection] = (c, v, r) =>
            r.String(ConfigKeys.ChangeDetection, v, Snapshots.SnapshotSettings.DetectionList) is { } s ? c with { ChangeDetection = s } : c,
        [ConfigKeys.OnFailureCommand] = (c, v, r) => c with { OnFailureCommand = r.String(ConfigKeys.OnFailureCommand, v, "a shell command line") },
    };

    /// <summary>Every key: the common ones and each backend's own (from the registry).</summary>
    private static readonly Dictionary<string, ConfigKey.Setter> Setters = CommonSetters
        .Concat(BackendRegistry.Keys.Select(key => KeyValuePair.Create(key.Name, key.Read)))
        .ToDictionary(StringComparer.Ordinal);

    /// <summary>All supported key names.</summary>
    public static IEnumerable<string> KnownKeys => Setters.Keys;

    /// <summary>Builds the configuration from <paramref name="root"/>; type and key problems go to <paramref name="read"/>.</summary>
    public static GteuConfig Apply(JsonElement root, ConfigValueReader read)
    {
        var config = new GteuConfig();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                read.Errors.Add($"{property.Name} appears more than once; allowed: each key once.");
            }
            else if (Setters.TryGetValue(property.Name, out ConfigKey.Setter? set))
            {
                config = set(config, property.Value, read);
            }
            else
            {
                read.Errors.Add(DescribeUnsupported(property.Name));
            }
        }

        return config;
    }

    private static string DescribeUnsupported(string key)
    {
        if (ConfigKeys.Reserved.Contains(key))
        {
            return $"{key} is not supported yet by this version of AutoGlacier; remove it.";
        }

        string? suggestion = ConfigKeys.Suggest(key, KnownKeys);
        string hint = suggestion is null ? "" : $" Did you mean '{suggestion}'?";
        return $"{key} is not a known configuration key.{hint} Known keys: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))}.";
    }
}
