using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Local;
using AutoGlacier.Vaults.S3;

namespace AutoGlacier.Vaults;

/// <summary>
/// The backends this version knows, in one list: BACKEND names, their configuration keys, rules and vault factories
/// all come from here (configuration parsing, validation, the log's summary, <see cref="VaultFactory"/>). A new
/// backend is a folder under Vaults/ with a <see cref="BackendDefinition"/>, plus one line in <see cref="All"/>.
/// </summary>
internal static class BackendRegistry
{
    /// <summary>Every backend, the default (BACKEND unset) first.</summary>
    public static IReadOnlyList<BackendDefinition> All { get; } =
    [
        LocalBackend.Definition,
        S3Backend.Definition,
        GlacierBackend.Definition,
    ];

    /// <summary>
    /// How PART_SIZE_MB is checked when the selected backend does not upload in parts (local): by S3's range, so the
    /// value stays valid when the configuration switches to a cloud backend.
    /// </summary>
    public static Func<int, string?> DefaultPartSizeMbRule => S3Backend.CheckPartSizeMb;

    /// <summary>The configuration keys of every backend.</summary>
    public static IEnumerable<ConfigKey> Keys => All.SelectMany(backend => backend.Keys);

    /// <summary>The backend called <paramref name="name"/>, or null.</summary>
    public static BackendDefinition? Find(string? name) => All.FirstOrDefault(backend => backend.Name == name);

    /// <summary>The backend called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">No backend has that name.</exception>
    public static BackendDefinition Get(string name) => Find(name) ?? throw new ConfigurationException(
        $"BACKEND '{name}' is not supported by this version of AutoGlacier; use {QuotedNames()}.");

    /// <summary>The validation message for an unknown BACKEND, or null when it is known.</summary>
    public static string? CheckName(string? name) => Find(name) is null
        ? $"{ConfigKeys.Backend} = \"{name}\" is unknown; allowed: {Names}."
        : null;

    /// <summary>The backend names, for messages: <c>local, s3, glacier</c>.</summary>
    public static string Names => string.Join(", ", All.Select(backend => backend.Name));

    /// <summary>
    /// What the storage of <paramref name="record"/>'s archive can do: from the backend the run names and the settings
    /// it recorded; for a backend this version does not list (a caller's own vault), from <paramref name="vault"/>
    /// when it is that backend; else null.
    /// </summary>
    public static VaultCapabilities? CapabilitiesOfRun(RunRecord record, IVault? vault = null) =>
        Find(record.Backend)?.CapabilitiesOfRun(record.Config)
            ?? (vault is not null && vault.BackendName == record.Backend ? vault.Capabilities : null);

    /// <summary><c>'local', 's3' or 'glacier'</c>.</summary>
    private static string QuotedNames()
    {
        var names = All.Select(backend => $"'{backend.Name}'").ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
