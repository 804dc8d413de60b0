using System.Numerics;
using System.Text.RegularExpressions;
using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// BACKEND glacier: the keys only Glacier reads (VAULT_NAME, CREATE_VAULT), their rules, Glacier's limits on
/// PART_SIZE_MB, and how it opens a <see cref="GlacierVault"/>. The keys Glacier shares with S3 (REGION_NAME,
/// credentials, ENDPOINT_URL, AWS_PROFILE, PART_SIZE_MB, UPLOAD_CONCURRENCY, RETRIEVAL_TIER) are in <see cref="ConfigKeys"/>.
/// </summary>
internal static partial class GlacierBackend
{
    public const string VaultName = "VAULT_NAME";
    public const string CreateVault = "CREATE_VAULT";

    /// <summary>
    /// Glacier allows 4096, but a part is uploaded from one in-memory buffer and .NET arrays stop short of 2 GiB; 1024
    /// already allows 9.8 TiB archives.
    /// </summary>
    public const int MaxPartSizeMb = 1024;

    public static BackendDefinition Definition { get; } = new()
    {
        Name = "glacier",
        Description = "an Amazon Glacier vault (the vault API, for existing customers), or autoglacier local-glacier",
        Keys =
        [
            new ConfigKey(VaultName, (c, v, r) => r.String(VaultName, v, "a vault name") is { } s ? c with { VaultName = s } : c, c => c.VaultName),
            new ConfigKey(CreateVault, (c, v, r) => r.Boolean(CreateVault, v) is { } b ? c with { CreateVault = b } : c),
        ],
        Check = (config, _) => Check(config),
        PartSizeMbRule = CheckPartSizeMb,
        Open = config => new GlacierVault(GlacierSettings.FromConfig(config)),
        CapabilitiesOfRun = _ => GlacierVault.StorageCapabilities,
    };

    private static string? CheckPartSizeMb(int part) =>
        part < 1 || part > MaxPartSizeMb || !BitOperations.IsPow2(part)
            ? $"{ConfigKeys.PartSizeMb} = {part} is not allowed with {ConfigKeys.Backend} glacier; allowed: a power of two from 1 to {MaxPartSizeMb} " +
              "(Glacier's part sizes, up to AutoGlacier's in-memory part limit; one archive holds at most 10,000 parts, so 128 reaches 1.2 TiB)."
            : null;

    /// <summary>VAULT_NAME is checked whatever the backend (it has a default, and the seed's files all set it).</summary>
    private static IEnumerable<string> Check(GteuConfig config)
    {
        if (!VaultPattern().IsMatch(config.VaultName ?? ""))
        {
            yield return $"{VaultName} = \"{config.VaultName}\" is not a valid vault name; " +
                "allowed: 1–255 characters from a–z, A–Z, 0–9, '_', '-', '.'.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex VaultPattern();
}
