using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults.Local;

/// <summary>BACKEND local: its key (LOCAL_VAULT_DIR), its rule, and how it opens a <see cref="LocalVault"/>.</summary>
internal static class LocalBackend
{
    public const string VaultDir = "LOCAL_VAULT_DIR";

    public static BackendDefinition Definition { get; } = new()
    {
        Name = "local",
        Description = "a directory on this machine (the default; no cloud account needed)",
        Keys =
        [
            new ConfigKey(VaultDir, (c, v, r) => r.Path(VaultDir, v) is { } p ? c with { LocalVaultDir = p } : c, c => c.LocalVaultDir),
        ],
        Check = (config, _) => Check(config),
        Open = config => new LocalVault(config.LocalVaultDir),
        CapabilitiesOfRun = _ => LocalVault.StorageCapabilities,
    };

    private static IEnumerable<string> Check(GteuConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.LocalVaultDir) || config.LocalVaultDir.Contains('\0', StringComparison.Ordinal))
        {
            yield return $"{VaultDir} = \"{config.LocalVaultDir}\" is not a usable path; allowed: a non-empty file system path.";
        }
    }
}
