using System.Diagnostics;
using AutoGlacier.Restore;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier;

/// <summary>
/// One listing of a vault for <see cref="InventoryReconciler"/>: waits for Glacier's inventory job when asked to
/// (the same vault object asks about the same job each time), and reports the wait, the archives listed and the
/// final counts as <see cref="InventoryProgress"/>.
/// </summary>
internal sealed class InventoryListing(IVault vault, InventoryWait wait, IProgress<InventoryProgress>? progress, int runsInLog)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _listed;
    private TimeSpan? _waitingSince;

    /// <summary>Every archive the vault lists, once its inventory is ready.</summary>
    public async Task<List<VaultArchive>> ListAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await ListOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InventoryPendingException pending) when (wait.Wait && Delay() is { } delay)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                progress?.Report(new InventoryProgress
                {
                    Phase = InventoryPhase.Waiting, Waiting = new RetrievalWait(pending.Message, null, Waited, now + delay),
                    RunsInLog = runsInLog, Elapsed = _clock.Elapsed,
                });
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The last report: the comparison's counts.</summary>
    public void Done(InventoryReport report) => progress?.Report(Snapshot(InventoryPhase.Done, _clock.Elapsed) with
    {
        UnknownToLog = report.UnknownToLog.Count, MissingFromVault = report.MissingFromVault.Count, SizeMismatches = report.SizeMismatches.Count,
    });

    private async Task<List<VaultArchive>> ListOnceAsync(CancellationToken cancellationToken)
    {
        var archives = new List<VaultArchive>();
        Volatile.Write(ref _listed, 0);
        using var throttle = new ProgressThrottle<InventoryProgress>(progress, _clock, now => Snapshot(InventoryPhase.Listing, now));
        throttle.StartTicking();
        await foreach (VaultArchive archive in vault.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            archives.Add(archive);
            Interlocked.Increment(ref _listed);
            throttle.Report(force: false);
        }

        return archives;
    }

    /// <summary>Time since the vault first said the job is not finished (the maximum wait counts from then, not from the first request).</summary>
    private TimeSpan Waited => _clock.Elapsed - (_waitingSince ?? _clock.Elapsed);

    /// <summary>How long to wait before the next check, or null when the maximum wait has run out.</summary>
    private TimeSpan? Delay()
    {
        _waitingSince ??= _clock.Elapsed;
        if (wait.MaxWait is not { } max) { return wait.PollInterval; }
        TimeSpan left = max - Waited;
        return left <= TimeSpan.Zero ? null : left < wait.PollInterval ? left : wait.PollInterval;
    }

    private InventoryProgress Snapshot(string phase, TimeSpan now) =>
        new() { Phase = phase, ArchivesListed = Volatile.Read(ref _listed), RunsInLog = runsInLog, Elapsed = now };
}
