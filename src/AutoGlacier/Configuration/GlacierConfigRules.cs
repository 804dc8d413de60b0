using System.Numerics;

namespace AutoGlacier.Configuration;

/// <summary>Glacier's own limits on the shared keys (only with BACKEND glacier); each message names the key, the value and what is allowed.</summary>
internal static class GlacierConfigRules
{
    /// <summary>
    /// Glacier allows 4096, but a part is uploaded from one in-memory buffer and .NET arrays stop short of 2 GiB; 1024
    /// already allows 9.8 TiB archives.
    /// </summary>
    public const int MaxPartSizeMb = 1024;

    public static IEnumerable<string> Check(GteuConfig config)
    {
        if (config.Backend == "glacier" && config.PartSizeMb is { } part && (part < 1 || part > MaxPartSizeMb || !BitOperations.IsPow2(part)))
        {
            yield return $"{ConfigKeys.PartSizeMb} = {part} is not allowed with {ConfigKeys.Backend} glacier; allowed: a power of two from 1 to {MaxPartSizeMb} " +
                "(Glacier's part sizes, up to AutoGlacier's in-memory part limit; one archive holds at most 10,000 parts, so 128 reaches 1.2 TiB).";
        }
    }
}
