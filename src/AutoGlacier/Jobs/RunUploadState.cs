using System.Globalization;
using AutoGlacier.Log;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier;

/// <summary>
/// What a run's log record says about its upload (in <see cref="RunRecord.BackendState"/>), so another process can
/// resume it: the lease, the multipart upload, and the sealed spool.
/// </summary>
internal static class RunUploadState
{
    public const string LeasePath = "lease_path";
    public const string UploadId = "upload_id";
    public const string UploadTarget = "upload_target";
    public const string PartSize = "upload_part_size";
    public const string SpoolPath = "spool_path";
    public const string CompletingTarget = "completing_target";

    /// <summary>Adds (or replaces) entries in a record's backend state.</summary>
    public static RunRecord With(RunRecord record, params (string Key, string? Value)[] entries)
    {
        var state = new Dictionary<string, string>(record.BackendState, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is null)
            {
                state.Remove(key);
            }
            else
            {
                state[key] = value;
            }
        }

        return record with { BackendState = state };
    }

    /// <summary>The record once its archive is stored: nothing left to resume (no spool, lease or completion under way).</summary>
    public static RunRecord Finished(RunRecord record) => With(record, (SpoolPath, null), (LeasePath, null), (CompletingTarget, null));

    /// <summary>The record with the upload's ticket.</summary>
    public static RunRecord WithTicket(RunRecord record, MultipartTicket ticket) => With(record,
        (UploadId, ticket.UploadId), (UploadTarget, ticket.Target), (PartSize, ticket.PartSize.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The upload's ticket as recorded, or null when no multipart upload was started.</summary>
    public static MultipartTicket? Ticket(RunRecord record) =>
        record.BackendState.TryGetValue(UploadId, out string? id)
        && record.BackendState.TryGetValue(UploadTarget, out string? target)
        && record.BackendState.TryGetValue(PartSize, out string? size)
        && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out long partSize)
            ? new MultipartTicket(id, target, partSize)
            : null;

    /// <summary>The sealed spool's path, or null.</summary>
    public static string? Spool(RunRecord record) => record.BackendState.GetValueOrDefault(SpoolPath);

    /// <summary>Where a completion was under way, or null.</summary>
    public static string? Completing(RunRecord record) => record.BackendState.GetValueOrDefault(CompletingTarget);

    /// <summary>The lease's path, or null (runs from before leases).</summary>
    public static string? Lease(RunRecord record) => record.BackendState.GetValueOrDefault(LeasePath);
}
