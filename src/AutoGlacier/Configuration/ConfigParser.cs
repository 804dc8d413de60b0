using System.Text.Json;

namespace AutoGlacier.Configuration;

/// <summary>Applies each key of a configuration object to a <see cref="GteuConfig"/>, collecting every problem.</summary>
internal static class ConfigParser
{
    private delegate GteuConfig Setter(GteuConfig config, JsonElement value, ConfigValueReader read);

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.Ordinal)
    {
        [ConfigKeys.Compression] = (c, v, r) =>
            r.String(ConfigKeys.Compression, v, "lzma, zstd, none") is { } s ? c with { Compression = s } : c,
        [ConfigKeys.CompressionLevel] = (c, v, r) =>
            r.Integer(ConfigKeys.CompressionLevel, v, "lzma 0–9, zstd 1–19") is { } n ? c with { CompressionLevel = n } : c,
        [ConfigKeys.CompressionThreads] = (c, v, r) =>
            r.Integer(ConfigKeys.CompressionThreads, v, "1 or more") is { } n ? c with { CompressionThreads = n } : c,
        [ConfigKeys.TmpDir] = (c, v, r) => r.Path(ConfigKeys.TmpDir, v) is { } p ? c with { TmpDir = p } : c,
        [ConfigKeys.SpoolArchive] = (c, v, r) => r.Boolean(ConfigKeys.SpoolArchive, v) is { } b ? c with { SpoolArchive = b } : c,
        [ConfigKeys.JsonDatabase] = (c, v, r) => r.Path(ConfigKeys.JsonDatabase, v) is { } p ? c with { JsonDatabase = p } : c,
        [ConfigKeys.LocalVaultDir] = (c, v, r) => r.Path(ConfigKeys.LocalVaultDir, v) is { } p ? c with { LocalVaultDir = p } : c,
        [ConfigKeys.PublicKeyPath] = (c, v, r) =>
            r.PathList(ConfigKeys.PublicKeyPath, v) is { } p ? c with { PublicKeyPaths = p } : c,
        [ConfigKeys.RsaPassphrase] = (c, v, r) =>
            c with { RsaPassphrase = r.String(ConfigKeys.RsaPassphrase, v, "the key's passphrase") },
        [ConfigKeys.RegionName] = (c, v, r) =>
            r.String(ConfigKeys.RegionName, v, "an AWS region such as eu-west-1") is { } s ? c with { RegionName = s } : c,
        [ConfigKeys.VaultName] = (c, v, r) =>
            r.String(ConfigKeys.VaultName, v, "a vault name") is { } s ? c with { VaultName = s } : c,
        [ConfigKeys.AwsAccessKeyId] = (c, v, r) =>
            c with { AwsAccessKeyId = r.String(ConfigKeys.AwsAccessKeyId, v, "an access key id") },
        [ConfigKeys.AwsSecretAccessKey] = (c, v, r) =>
            c with { AwsSecretAccessKey = r.String(ConfigKeys.AwsSecretAccessKey, v, "the secret access key") },
        [ConfigKeys.Backend] = (c, v, r) => r.String(ConfigKeys.Backend, v, "local, s3") is { } s ? c with { Backend = s } : c,
        [ConfigKeys.EndpointUrl] = (c, v, r) => c with { EndpointUrl = r.String(ConfigKeys.EndpointUrl, v, "an http(s) URL") },
        [ConfigKeys.AwsProfile] = (c, v, r) => c with { AwsProfile = r.String(ConfigKeys.AwsProfile, v, "a profile name") },
        [ConfigKeys.PartSizeMb] = (c, v, r) => c with { PartSizeMb = r.Integer(ConfigKeys.PartSizeMb, v, "part size in MiB") },
        [ConfigKeys.UploadConcurrency] = (c, v, r) =>
            c with { UploadConcurrency = r.Integer(ConfigKeys.UploadConcurrency, v, "parts in flight") },
        [ConfigKeys.RetrievalTier] = (c, v, r) => c with { RetrievalTier = r.String(ConfigKeys.RetrievalTier, v, "Bulk, Standard, Expedited") },
        [ConfigKeys.S3Bucket] = (c, v, r) => c with { S3Bucket = r.String(ConfigKeys.S3Bucket, v, "a bucket name") },
        [ConfigKeys.S3Prefix] = (c, v, r) => c with { S3Prefix = S3PrefixValue(r, v) },
        [ConfigKeys.S3StorageClass] = (c, v, r) =>
            r.String(ConfigKeys.S3StorageClass, v, "DEEP_ARCHIVE, GLACIER, GLACIER_IR, STANDARD_IA, STANDARD") is { } s ? c with { S3StorageClass = s } : c,
        [ConfigKeys.OnSuccessCommand] = (c, v, r) => c with { OnSuccessCommand = r.String(ConfigKeys.OnSuccessCommand, v, "a shell command line") },
        [ConfigKeys.OnFailureCommand] = (c, v, r) => c with { OnFailureCommand = r.String(ConfigKeys.OnFailureCommand, v, "a shell command line") },
        [ConfigKeys.RestoreDays] = (c, v, r) => r.Integer(ConfigKeys.RestoreDays, v, "1–365") is { } n ? c with { RestoreDays = n } : c,
    };

    /// <summary>S3_PREFIX may be "" (keys at the bucket's root), which the generic string reader rejects.</summary>
    private static string S3PrefixValue(ConfigValueReader read, JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() == ""
            ? ""
            : read.String(ConfigKeys.S3Prefix, value, "a key prefix such as \"autoglacier/\"") ?? "autoglacier/";

    /// <summary>All supported key names.</summary>
    public static IEnumerable<string> KnownKeys => Setters.Keys.Concat(GlacierConfigKeys.Setters.Keys);

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
            else if (Setters.TryGetValue(property.Name, out Setter? set))
            {
                config = set(config, property.Value, read);
            }
            else if (GlacierConfigKeys.Setters.TryGetValue(property.Name, out var setGlacier))
            {
                config = setGlacier(config, property.Value, read);
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
