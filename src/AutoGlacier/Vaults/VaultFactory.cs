using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults;

/// <summary>Opens the vault named by the configuration's BACKEND (one of the backends in the registry).</summary>
public static class VaultFactory
{
    /// <summary>Opens the configured vault.</summary>
    /// <exception cref="ConfigurationException">The backend is unknown or not available in this version.</exception>
    public static IVault Create(GteuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return BackendRegistry.Get(config.Backend).Open(config);
    }
}
