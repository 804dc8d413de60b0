using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Recovery;

/// <summary>
/// What <see cref="RecoveryRunner"/> needs to rebuild the log's snapshot state from the vault alone: the configuration
/// (which vault, which log) and a private key of the catalogs' recipients.
/// </summary>
public sealed class RecoveryRequest
{
    /// <summary>The configuration: its BACKEND names the vault, JSON_DATABASE the log to add the runs to.</summary>
    public required GteuConfig Config { get; init; }

    /// <summary>Path of a private key whose public key was a recipient of the backups.</summary>
    public required string PrivateKeyPath { get; init; }

    /// <summary>The private key's passphrase (null for an unencrypted key).</summary>
    public string? Passphrase { get; init; }

    /// <summary>
    /// How catalogs in cold storage (Glacier) are retrieved: tier, and whether to wait (the default) or to record the
    /// retrieval jobs and report them pending, so that running recover again continues with the same jobs.
    /// </summary>
    public RetrievalOptions Retrieval { get; init; } = new();

    /// <summary>The vault to read, for a backend of your own; null opens the one the configuration names.</summary>
    public Vaults.IVault? Vault { get; init; }

    /// <summary>Logger (each catalog recovered, skipped or pending, and waits).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>What <c>recover</c> did, catalog by catalog.</summary>
public sealed class RecoveryResult
{
    /// <summary>Snapshot catalogs the vault listing holds.</summary>
    public int CatalogsFound { get; init; }

    /// <summary>Run keys added to the log (each with its local catalog), oldest first.</summary>
    public IReadOnlyList<string> Recovered { get; init; } = [];

    /// <summary>Run keys the log already had with their local catalogs: left alone, their catalogs not even retrieved.</summary>
    public IReadOnlyList<string> AlreadyPresent { get; init; } = [];

    /// <summary>
    /// Runs the log had whose local catalog (<c>LOG.catalogs/RUNKEY.catalog.zst</c>) was missing: put back from the
    /// vault after checking it is the catalog the run recorded; their records were left alone.
    /// </summary>
    public IReadOnlyList<string> LocalCatalogsRestored { get; init; } = [];

    /// <summary>Catalogs skipped because they could not be used (damaged, not decryptable, no archive): nothing was written for them.</summary>
    public IReadOnlyList<RecoveryProblem> Damaged { get; init; } = [];

    /// <summary>Catalogs whose retrieval has not finished (cold storage): run recover again later.</summary>
    public IReadOnlyList<RecoveryProblem> Pending { get; init; } = [];

    /// <summary>
    /// <see cref="ExitCodes.Pending"/> while any catalog is pending (running again continues), else
    /// <see cref="ExitCodes.Error"/> when a catalog was damaged, else <see cref="ExitCodes.Success"/>.
    /// </summary>
    public int ExitCode => Pending.Count > 0 ? ExitCodes.Pending : Damaged.Count > 0 ? ExitCodes.Error : ExitCodes.Success;
}

/// <summary>A catalog recover could not use (yet).</summary>
/// <param name="RunKey">The run the catalog belongs to (null when the vault does not say).</param>
/// <param name="CatalogId">The catalog's id in the vault.</param>
/// <param name="Reason">What went wrong or what is awaited, and what to do.</param>
public sealed record RecoveryProblem(string? RunKey, string CatalogId, string Reason);
