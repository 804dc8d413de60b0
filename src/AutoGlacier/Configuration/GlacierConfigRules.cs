using System.Numerics;

namespace AutoGlacier.Configuration;

/// <summary>Value rules for the Glacier backend's keys; each message names the key, the value and what is allowed.</summary>
internal static class GlacierConfigRules
{
    public const int MaxPartSizeMb = 4096;
    public const int MaxUploadConcurrency = 64;

    public static IEnumerable<string> Check(GteuConfig config)
    {
        if (config.PartSizeMb < 1 || config.PartSizeMb > MaxPartSizeMb || !BitOperations.IsPow2(config.PartSizeMb))
        {
            yield return $"{GlacierConfigKeys.PartSizeMb} = {config.PartSizeMb} is not allowed; allowed: a power of two from 1 to {MaxPartSizeMb} " +
                "(Glacier's part sizes; one archive holds at most 10,000 parts, so 128 reaches 1.2 TiB).";
        }

        if (config.UploadConcurrency < 1 || config.UploadConcurrency > MaxUploadConcurrency)
        {
            yield return $"{GlacierConfigKeys.UploadConcurrency} = {config.UploadConcurrency} is out of range; allowed: 1–{MaxUploadConcurrency} (memory ≈ part size × (concurrency + 1)).";
        }

        if (config.RetrievalTier is not ("Expedited" or "Standard" or "Bulk"))
        {
            yield return $"{GlacierConfigKeys.RetrievalTier} = \"{config.RetrievalTier}\" is unknown; allowed: Expedited, Standard, Bulk.";
        }

        if (config.EndpointUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return $"{GlacierConfigKeys.EndpointUrl} = \"{url}\" is not an endpoint URL; allowed: http(s)://host[:port], or null for AWS.";
        }
    }
}
