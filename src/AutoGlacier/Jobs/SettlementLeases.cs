using AutoGlacier.Log;

namespace AutoGlacier;

/// <summary>
/// The two leases a process holds while it settles someone else's unfinished run: the run's own (proof that its
/// process is gone: the kernel released it) and one for settling it (so two resumes never settle one run at once).
/// </summary>
internal sealed class SettlementLeases : IDisposable
{
    private readonly RunLease _settling;
    private readonly RunLease? _owner;

    private SettlementLeases(RunLease settling, RunLease? owner) => (_settling, _owner) = (settling, owner);

    /// <summary>Takes both leases, or returns null when the run's process (or another settler) still holds one.</summary>
    public static SettlementLeases? TryTake(string tmpDir, string runKey, RunRecord record)
    {
        RunLease? settling = RunLease.TryTake(RunLease.PathFor(tmpDir, runKey + ".resume"));
        if (settling is null)
        {
            return null;
        }

        string? ownerPath = RunUploadState.Lease(record);
        RunLease? owner = ownerPath is null ? null : RunLease.TryTake(ownerPath);
        if (ownerPath is not null && owner is null)
        {
            settling.Dispose();
            return null;
        }

        return new SettlementLeases(settling, owner);
    }

    /// <summary>The message for a run whose leases are held elsewhere.</summary>
    public const string StillRunning = "its backup is still running in another process";

    /// <inheritdoc />
    public void Dispose()
    {
        _owner?.Dispose();
        _settling.Dispose();
    }
}
