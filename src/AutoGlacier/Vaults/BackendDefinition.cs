using AutoGlacier.Configuration;

namespace AutoGlacier.Vaults;

/// <summary>
/// Everything the rest of AutoGlacier needs to know about one backend, declared in the backend's own folder and
/// listed once in <see cref="BackendRegistry"/>: its BACKEND name, the configuration keys only it reads and their
/// rules, how it opens a vault, and what the storage of a run it recorded can do.
/// </summary>
internal sealed record BackendDefinition
{
    /// <summary>The BACKEND value (and <see cref="IVault.BackendName"/> of its vaults).</summary>
    public required string Name { get; init; }

    /// <summary>One line for people: what the backend stores into.</summary>
    public required string Description { get; init; }

    /// <summary>Keys only this backend reads; the keys several backends share are in <see cref="ConfigKeys"/>.</summary>
    public IReadOnlyList<ConfigKey> Keys { get; init; } = [];

    /// <summary>
    /// The rules on this backend's keys, each message naming the key, the value and what is allowed. They run whatever
    /// the backend, so a typo shows before the key is first used; the flag says whether BACKEND names this backend
    /// (for required keys and for this backend's limits on shared keys).
    /// </summary>
    public Func<GteuConfig, bool, IEnumerable<string>> Check { get; init; } = (_, _) => [];

    /// <summary>
    /// This backend's limits on PART_SIZE_MB (an error message, or null when the value is allowed); null for backends
    /// that do not upload in parts, which check PART_SIZE_MB by <see cref="BackendRegistry.DefaultPartSizeMbRule"/>.
    /// </summary>
    public Func<int, string?>? PartSizeMbRule { get; init; }

    /// <summary>Opens the vault a validated configuration with this BACKEND describes.</summary>
    public required Func<GteuConfig, IVault> Open { get; init; }

    /// <summary>
    /// What the storage of a run recorded by this backend can do, from the configuration summary the run stored in the
    /// log (an old run may have used other settings than today's configuration, e.g. another S3 storage class).
    /// </summary>
    public required Func<IReadOnlyDictionary<string, string>, VaultCapabilities> CapabilitiesOfRun { get; init; }
}
