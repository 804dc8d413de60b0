namespace AutoGlacier.Vaults.S3;

/// <summary>Restore tiers of S3 RestoreObject (RETRIEVAL_TIER).</summary>
internal static class S3RetrievalTiers
{
    /// <summary>Cheapest and slowest (GLACIER 5–12 h, DEEP_ARCHIVE up to 48 h).</summary>
    public const string Bulk = "Bulk";

    /// <summary>The default (GLACIER 3–5 h, DEEP_ARCHIVE up to 12 h).</summary>
    public const string Standard = "Standard";

    /// <summary>GLACIER only, 1–5 minutes; DEEP_ARCHIVE has no Expedited tier.</summary>
    public const string Expedited = "Expedited";

    /// <summary>Every tier the RETRIEVAL_TIER setting accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [Bulk, Standard, Expedited];

    /// <summary>The tier as spelled by S3 (case-insensitive match), or null when it is not a tier.</summary>
    public static string? Normalize(string? tier) =>
        All.FirstOrDefault(t => string.Equals(t, tier, StringComparison.OrdinalIgnoreCase));
}
