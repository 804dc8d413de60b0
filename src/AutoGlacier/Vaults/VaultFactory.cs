using AutoGlacier.Configuration;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Local;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Vaults;

/// <summary>Creates the vault named by the configuration's BACKEND.</summary>
public static class VaultFactory
{
    /// <summary>Opens the configured vault.</summary>
    /// <exception cref="ConfigurationException">The backend is unknown or not available in this version.</exception>
    public static IVault Create(GteuConfig config) => config.Backend switch
    {
        "local" => new LocalVault(config.LocalVaultDir),
        "s3" => S3Vault.Create(config),
        "glacier" => new GlacierVault(GlacierSettings.FromConfig(config)),
        _ => throw new ConfigurationException(
            $"BACKEND '{config.Backend}' is not supported by this version of AutoGlacier; use 'local', 's3' or 'glacier'."),
    };
}
