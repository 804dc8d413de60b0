using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoGlacier.Migration;

/// <summary>
/// What <c>autoglacier migrate</c> moves: runs stored in a Glacier vault (their archives and snapshot catalogs), into
/// the S3 backend of another configuration.
/// </summary>
public sealed record MigrationRequest
{
    /// <summary>The configuration the runs were made with (its JSON_DATABASE holds them; its credentials read the vault).</summary>
    public required GteuConfig Source { get; init; }

    /// <summary>The configuration of the S3 backend the archives move to (BACKEND s3).</summary>
    public required GteuConfig Target { get; init; }

    /// <summary>The runs to move; empty with <see cref="All"/> for every run stored in a Glacier vault.</summary>
    public IReadOnlyList<string> RunKeys { get; init; } = [];

    /// <summary>Every run stored in a Glacier vault and not moved yet.</summary>
    public bool All { get; init; }

    /// <summary>
    /// How to retrieve from the vault: tier (Bulk unless set), and whether to wait for the retrieval or stop with
    /// <see cref="RetrievalPendingException"/> so the same command continues later.
    /// </summary>
    public RetrievalOptions Retrieval { get; init; } = new() { Tier = "Bulk" };

    /// <summary>Only show what would be moved (sizes, retrievals and how long they take); change nothing.</summary>
    public bool PlanOnly { get; init; }

    /// <summary>Delete the vault copy once the S3 copy is verified (never before the vault's 90-day minimum unless <see cref="AllowEarlyDeletion"/>).</summary>
    public bool DeleteSource { get; init; }

    /// <summary>With <see cref="DeleteSource"/>: delete archives younger than 90 days too (Glacier bills the rest of the 90 days).</summary>
    public bool AllowEarlyDeletion { get; init; }

    /// <summary>Told after every part moved (tests use it to stop a migration in the middle).</summary>
    public IProgress<MigrationProgress>? Progress { get; init; }

    /// <summary>The clock that decides archive ages.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Logger.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>A run's archive (or snapshot catalog) moving: bytes downloaded and parts uploaded so far in this invocation.</summary>
public sealed record MigrationProgress(string RunKey, long Size, long BytesDownloaded, int PartsUploaded)
{
    /// <summary>What is moving: the run's archive, or its snapshot catalog (moved after the archive).</summary>
    public Vaults.VaultObjectKind Kind { get; init; } = Vaults.VaultObjectKind.Archive;
}

/// <summary>
/// One run moved (or, with a plan, to be moved). It describes the archive's move, or the snapshot catalog's when only
/// the catalog moved (its retrieval was still pending when the archive moved, or an earlier migrate left it).
/// </summary>
/// <param name="RunKey">The run.</param>
/// <param name="From">The vault location it was in and its archive (or catalog) id there.</param>
/// <param name="To">The S3 URI it is in now (null in a plan).</param>
/// <param name="Size">Archive (or catalog) bytes.</param>
/// <param name="BytesDownloaded">Bytes read from the vault by this invocation (a resume reads only what is missing).</param>
/// <param name="PartsUploaded">Parts sent to S3 by this invocation.</param>
/// <param name="SourceDeleted">The vault copy was deleted.</param>
/// <param name="Note">Why the vault copy was kept, or other remarks.</param>
public sealed record MigratedRun(string RunKey, string From, string? To, long Size, long BytesDownloaded, int PartsUploaded, bool SourceDeleted, string? Note)
{
    /// <summary>
    /// The S3 URI of the run's snapshot catalog, moved with the archive so that <c>recover</c> works from S3 alone
    /// (null: the run has no snapshot catalog, it moved earlier, or this is a plan).
    /// </summary>
    public string? CatalogTo { get; init; }

    /// <summary>Bytes of the snapshot catalog read from the vault by this invocation.</summary>
    public long CatalogBytesDownloaded { get; init; }
}

/// <summary>What a migration did.</summary>
public sealed record MigrationResult(IReadOnlyList<MigratedRun> Runs);
