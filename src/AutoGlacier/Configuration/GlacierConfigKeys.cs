using System.Text.Json;

namespace AutoGlacier.Configuration;

/// <summary>
/// The Glacier backend's configuration keys and how each is read (kept apart from <see cref="ConfigParser"/> so
/// backends add keys without touching each other's lines). Values are checked by <see cref="GlacierConfigRules"/>.
/// </summary>
internal static class GlacierConfigKeys
{
    public const string EndpointUrl = "ENDPOINT_URL";
    public const string AwsProfile = "AWS_PROFILE";
    public const string PartSizeMb = "PART_SIZE_MB";
    public const string UploadConcurrency = "UPLOAD_CONCURRENCY";
    public const string CreateVault = "CREATE_VAULT";
    public const string RetrievalTier = "RETRIEVAL_TIER";

    /// <summary>Key → how it updates the configuration.</summary>
    public static readonly IReadOnlyDictionary<string, Func<GteuConfig, JsonElement, ConfigValueReader, GteuConfig>> Setters =
        new Dictionary<string, Func<GteuConfig, JsonElement, ConfigValueReader, GteuConfig>>(StringComparer.Ordinal)
        {
            [EndpointUrl] = (c, v, r) => c with { EndpointUrl = r.String(EndpointUrl, v, "an http(s) URL") },
            [AwsProfile] = (c, v, r) => c with { AwsProfile = r.String(AwsProfile, v, "a profile name from ~/.aws") },
            [PartSizeMb] = (c, v, r) => r.Integer(PartSizeMb, v, "a power of two, 1–4096") is { } n ? c with { PartSizeMb = n } : c,
            [UploadConcurrency] = (c, v, r) => r.Integer(UploadConcurrency, v, "1–64") is { } n ? c with { UploadConcurrency = n } : c,
            [CreateVault] = (c, v, r) => r.Boolean(CreateVault, v) is { } b ? c with { CreateVault = b } : c,
            [RetrievalTier] = (c, v, r) => r.String(RetrievalTier, v, "Expedited, Standard, Bulk") is { } s ? c with { RetrievalTier = s } : c,
        };
}
