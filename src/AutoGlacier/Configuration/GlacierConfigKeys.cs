using System.Text.Json;

namespace AutoGlacier.Configuration;

/// <summary>
/// Configuration keys only the Glacier backend reads, and how each is read (kept apart from
/// <see cref="ConfigParser"/> so backends add keys without touching each other's lines). The keys shared with S3
/// (ENDPOINT_URL, AWS_PROFILE, PART_SIZE_MB, UPLOAD_CONCURRENCY, RETRIEVAL_TIER) live in <see cref="ConfigKeys"/>;
/// Glacier's own limits on them are checked by <see cref="GlacierConfigRules"/>.
/// </summary>
internal static class GlacierConfigKeys
{
    public const string CreateVault = "CREATE_VAULT";

    /// <summary>Key → how it updates the configuration.</summary>
    public static readonly IReadOnlyDictionary<string, Func<GteuConfig, JsonElement, ConfigValueReader, GteuConfig>> Setters =
        new Dictionary<string, Func<GteuConfig, JsonElement, ConfigValueReader, GteuConfig>>(StringComparer.Ordinal)
        {
            [CreateVault] = (c, v, r) => r.Boolean(CreateVault, v) is { } b ? c with { CreateVault = b } : c,
        };
}
