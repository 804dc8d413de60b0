using AutoGlacier.Restore;

namespace AutoGlacier;

/// <summary>
/// A progress report from <see cref="InventoryReconciler"/>: the wait for Glacier's inventory job (each check), the
/// archives listed so far (at most about four reports a second, once a second from a timer), and the comparison's
/// counts at the end (phase <see cref="InventoryPhase.Done"/>).
/// </summary>
internal sealed record InventoryProgress
{
    /// <summary><see cref="InventoryPhase.Waiting"/>, <see cref="InventoryPhase.Listing"/> or <see cref="InventoryPhase.Done"/>.</summary>
    public required string Phase { get; init; }

    /// <summary>While waiting: the inventory job's state, how long this run has waited, and when the vault is asked again.</summary>
    public RetrievalWait? Waiting { get; init; }

    /// <summary>Archives the vault has listed so far.</summary>
    public int ArchivesListed { get; init; }

    /// <summary>Runs of this backend in the log (the ones compared with the vault).</summary>
    public int RunsInLog { get; init; }

    /// <summary>When done: archives in the vault that no run in the log names.</summary>
    public int? UnknownToLog { get; init; }

    /// <summary>When done: runs whose archive the vault did not list.</summary>
    public int? MissingFromVault { get; init; }

    /// <summary>When done: runs whose archive's size differs from the log's.</summary>
    public int? SizeMismatches { get; init; }

    /// <summary>Time since the command started.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>The phases an <see cref="InventoryProgress"/> reports.</summary>
internal static class InventoryPhase
{
    /// <summary>Glacier's inventory job is not finished; the vault is asked again at the next check.</summary>
    public const string Waiting = "waiting";
    /// <summary>The vault lists its archives (S3: page by page; Glacier: the finished inventory).</summary>
    public const string Listing = "listing";
    /// <summary>The vault and the log are compared; the counts are set.</summary>
    public const string Done = "done";
}

/// <summary>Whether and how long <see cref="InventoryReconciler"/> waits for a Glacier inventory job that is not finished.</summary>
internal sealed record InventoryWait
{
    /// <summary>The default time between checks: Glacier's inventory jobs take hours.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(15);

    /// <summary>False (the default): a job that is not finished raises <see cref="Vaults.Glacier.InventoryPendingException"/> at once.</summary>
    public bool Wait { get; init; }

    /// <summary>Time between checks of the job.</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>Stop waiting after this long (then the pending exception is raised); null: no limit.</summary>
    public TimeSpan? MaxWait { get; init; }
}
