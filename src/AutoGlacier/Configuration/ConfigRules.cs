using System.Text.RegularExpressions;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Configuration;

/// <summary>
/// Value rules shared by files and configurations built in code: those of the common keys and the shared cloud keys
/// here, each backend's own from <see cref="BackendRegistry"/>. Each message names the key, the value (never a
/// secret's) and what is allowed.
/// </summary>
internal static partial class ConfigRules
{
    private const int MaxThreads = 1024;

    /// <summary>Every rule <paramref name="config"/> breaks.</summary>
    public static IEnumerable<string> Check(GteuConfig config) =>
        CheckCompression(config)
            .Concat(CheckPaths(config))
            .Concat(CheckBackend(config))
            .Concat(CheckSharedCloudKeys(config))
            .Concat(CheckCredentials(config))
            .Concat(Snapshots.SnapshotSettings.Check(config))
            .Concat(BackendRegistry.All.SelectMany(backend => backend.Check(config, backend.Name == config.Backend)));

    private static IEnumerable<string> CheckCompression(GteuConfig config)
    {
        var codec = Compression.CodecRegistry.Named(config.Compression);
        if (codec is null)
        {
            yield return $"{ConfigKeys.Compression} = \"{config.Compression}\" is not supported; allowed: {Compression.CodecRegistry.NameList}.";
        }
        else if (config.CompressionLevel is { } level && codec.Levels is null)
        {
            yield return $"{ConfigKeys.CompressionLevel} = {level} has no meaning with {ConfigKeys.Compression} \"{codec.Name}\"; " +
                $"allowed: null (or choose {string.Join(" or ", Compression.CodecRegistry.All.Where(c => c.Levels is not null).Select(c => c.Name))}).";
        }
        else if (config.CompressionLevel is { } level2 && codec.Levels is { } range && !range.Contains(level2))
        {
            yield return $"{ConfigKeys.CompressionLevel} = {level2} is out of range for {config.Compression}; " +
                $"allowed: {range} ({Compression.CodecRegistry.LevelList}).";
        }

        if (config.CompressionThreads is { } threads && (threads < 1 || threads > MaxThreads))
        {
            yield return $"{ConfigKeys.CompressionThreads} = {threads} is out of range; allowed: 1–{MaxThreads} (or null for one per core).";
        }
    }

    private static IEnumerable<string> CheckPaths(GteuConfig config)
    {
        foreach ((string key, string? path) in new (string, string?)[]
        {
            (ConfigKeys.TmpDir, config.TmpDir),
            (ConfigKeys.JsonDatabase, config.JsonDatabase),
        }.Concat<(string, string?)>((config.PublicKeyPaths ?? []).Select(p => (ConfigKeys.PublicKeyPath, (string?)p))))
        {
            if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
            {
                yield return $"{key} = \"{path}\" is not a usable path; allowed: a non-empty file system path.";
            }
        }
    }

    private static IEnumerable<string> CheckBackend(GteuConfig config)
    {
        if (BackendRegistry.CheckName(config.Backend) is { } unknown)
        {
            yield return unknown;
        }

        if (!RegionPattern().IsMatch(config.RegionName ?? ""))
        {
            yield return $"{ConfigKeys.RegionName} = \"{config.RegionName}\" is not an AWS region name; allowed: e.g. eu-west-1, us-east-1.";
        }
    }

    /// <summary>The keys S3 and Glacier share (checked whatever the backend, so a typo shows before it is first used).</summary>
    private static IEnumerable<string> CheckSharedCloudKeys(GteuConfig config)
    {
        if (config.RetrievalTier is { } tier && S3RetrievalTiers.Normalize(tier) is null)
        {
            yield return $"{ConfigKeys.RetrievalTier} = \"{tier}\" is not a retrieval tier; allowed: Bulk, Standard, Expedited.";
        }

        // Each backend that uploads in parts has its own limits; the others (local) are held to the default ones.
        if (config.PartSizeMb is { } part
            && (BackendRegistry.Find(config.Backend)?.PartSizeMbRule ?? BackendRegistry.DefaultPartSizeMbRule)(part) is { } partError)
        {
            yield return partError;
        }

        if (config.UploadConcurrency is { } concurrency && (concurrency < 1 || concurrency > 64))
        {
            yield return $"{ConfigKeys.UploadConcurrency} = {concurrency} is out of range; allowed: 1–64 (memory use is about (UPLOAD_CONCURRENCY + 1) × PART_SIZE_MB).";
        }

        if (config.EndpointUrl is { } url && !(System.Uri.TryCreate(url, UriKind.Absolute, out Uri? endpoint) && endpoint.Scheme is "http" or "https"))
        {
            yield return $"{ConfigKeys.EndpointUrl} = \"{url}\" is not an http(s) URL; allowed: e.g. \"http://127.0.0.1:9000\" (or null for AWS).";
        }

        if (config.AwsProfile is { } profile && string.IsNullOrWhiteSpace(profile))
        {
            yield return $"{ConfigKeys.AwsProfile} is empty; allowed: a profile name, or null for the default credential chain.";
        }
    }

    private static IEnumerable<string> CheckCredentials(GteuConfig config)
    {
        if (config.RsaPassphrase is { } passphrase && string.IsNullOrEmpty(passphrase))
        {
            yield return $"{ConfigKeys.RsaPassphrase} is an empty string; allowed: the key's passphrase, or null for a key without one.";
        }

        if (config.AwsAccessKeyId is { } id && string.IsNullOrWhiteSpace(id))
        {
            yield return $"{ConfigKeys.AwsAccessKeyId} is empty; allowed: an access key id, or null to use the AWS credential chain.";
        }

        if ((config.AwsAccessKeyId is null) != (config.AwsSecretAccessKey is null))
        {
            yield return $"{ConfigKeys.AwsAccessKeyId} and {ConfigKeys.AwsSecretAccessKey} must be set together; " +
                "allowed: both, or both null to use the AWS credential chain.";
        }
        else if (config.AwsSecretAccessKey is { } secret && string.IsNullOrWhiteSpace(secret))
        {
            yield return $"{ConfigKeys.AwsSecretAccessKey} is empty; allowed: the secret access key, or null with {ConfigKeys.AwsAccessKeyId} null.";
        }
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
