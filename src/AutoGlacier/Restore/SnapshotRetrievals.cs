using System.Runtime.CompilerServices;
using AutoGlacier.Configuration;
using AutoGlacier.Log;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Restore;

/// <summary>One archive of a snapshot to make readable: its run (whose record keeps the retrieval's token) and id.</summary>
/// <param name="RunKey">The run that wrote the archive.</param>
/// <param name="Record">That run's record.</param>
/// <param name="ArchiveId">The archive id.</param>
internal sealed record ArchiveToRetrieve(string RunKey, RunRecord Record, string ArchiveId);

/// <summary>
/// Makes the archives of a snapshot readable: requests every retrieval at once (each recorded in its own run's
/// record, as a single archive's is, so running the command again continues with the same requests), then hands out
/// the archives in the order they become readable. Without waiting, any archive not readable yet stops the whole
/// restore before anything is extracted, with every request recorded.
/// </summary>
internal sealed class SnapshotRetrievals(GteuConfig config, IVault vault, JsonRunLog log, RetrievalOptions options, ILogger logger)
{
    /// <summary>Called when an archive's retrieval is pending (with the wait, once a check was made).</summary>
    public Action<int, RetrievalWait?> OnWaiting { get; init; } = (_, _) => { };

    /// <summary>Called when an archive is readable.</summary>
    public Action<int> OnReady { get; init; } = _ => { };

    /// <summary>Requests all retrievals, then yields the index of each archive as it becomes readable.</summary>
    /// <exception cref="RetrievalPendingException">Not waiting and some archive is not readable yet, or the maximum wait ran out.</exception>
    public async IAsyncEnumerable<int> InReadableOrderAsync(IReadOnlyList<ArchiveToRetrieve> archives, string snapshotRun,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (readable, pending) = await RequestAllAsync(archives, cancellationToken).ConfigureAwait(false);
        if (pending.Count > 0 && !options.Wait)
        {
            throw new RetrievalPendingException($"{pending.Count} of the {archives.Count} archives snapshot {snapshotRun} needs are not readable yet; " +
                "every request is recorded in the log, so running the same command again later continues with them. " +
                string.Join(" ", pending.Select(p => p.Message)));
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = pending.Select(p => WaitAsync(archives[p.Index], p.Index, stop.Token)).ToList();
        try
        {
            foreach (var index in readable) { yield return index; }
            while (waits.Count > 0)
            {
                var done = await Task.WhenAny(waits).ConfigureAwait(false);
                waits.Remove(done);
                var index = await done.ConfigureAwait(false);
                OnReady(index);
                yield return index;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(waits).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false); // ends the other waits; their outcome no longer matters
        }
    }

    /// <summary>One request per archive, in plan order, before any waiting: a cold tier's hours run for all at once.</summary>
    private async Task<(List<int> Readable, List<(int Index, string Message)> Pending)> RequestAllAsync(IReadOnlyList<ArchiveToRetrieve> archives,
        CancellationToken cancellationToken)
    {
        var (readable, pending) = (new List<int>(), new List<(int, string)>());
        var once = options with { Wait = false };
        for (var i = 0; i < archives.Count; i++)
        {
            var (runKey, record, archiveId) = archives[i];
            try
            {
                await new RetrievalWaiter(config, once, logger).EnsureReadableAsync(vault, log, runKey, record, archiveId, cancellationToken).ConfigureAwait(false);
                readable.Add(i);
                OnReady(i);
            }
            catch (RetrievalPendingException ex)
            {
                pending.Add((i, ex.Message));
                OnWaiting(i, null);
            }
        }
        return (readable, pending);
    }

    private async Task<int> WaitAsync(ArchiveToRetrieve archive, int index, CancellationToken cancellationToken)
    {
        // The record as the log holds it now, with the request just recorded, so the wait checks that request.
        var record = await log.GetRunAsync(archive.RunKey, cancellationToken).ConfigureAwait(false) ?? archive.Record;
        await new RetrievalWaiter(config, options, logger, wait => OnWaiting(index, wait))
            .EnsureReadableAsync(vault, log, archive.RunKey, record, archive.ArchiveId, cancellationToken).ConfigureAwait(false);
        return index;
    }
}
