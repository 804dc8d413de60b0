using AutoGlacier.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier;

/// <summary>Everything one backup run needs; built by <see cref="GteuJob"/> or the <c>backup</c> command.</summary>
public sealed record BackupRequest
{
    /// <summary>Produces the configuration (deferred so that loading errors become a clean result).</summary>
    public required Func<GteuConfig> Config { get; init; }
    /// <summary>Explicit paths.</summary>
    public IEnumerable<string> Files { get; init; } = [];
    /// <summary>Glob patterns.</summary>
    public IEnumerable<string> Globs { get; init; } = [];
    /// <summary>Archive description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Store directories recursively.</summary>
    public bool RecurseDirectories { get; init; }
    /// <summary>Called with the resolved path list before anything is read.</summary>
    public Action<IList<string>>? GatherHook { get; init; }
    /// <summary>Job name for the log: with the vault, it names the series whose snapshots build on each other.</summary>
    public string JobName { get; init; } = "cli";
    /// <summary>Makes this run a full snapshot whatever BACKUP_MODE and FULL_EVERY say (<c>backup --full</c>).</summary>
    public bool ForceFull { get; init; }
    /// <summary>The clock FULL_EVERY is measured with (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Logger.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
    /// <summary>Progress sink.</summary>
    public IProgress<BackupProgress>? Progress { get; init; }
    /// <summary>
    /// The vault to store into, for a backend of your own (any <see cref="Vaults.IVault"/>); null opens the one the
    /// configuration's BACKEND names. The run is logged under its <see cref="Vaults.IVault.BackendName"/>. The caller keeps
    /// ownership: it is not disposed.
    /// </summary>
    public Vaults.IVault? Vault { get; init; }
}
