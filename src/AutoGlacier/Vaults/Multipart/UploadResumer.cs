using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// Finishes an upload from its spool after the process died or the upload failed: lists the parts the backend holds
/// (paginated), checks each against the spool, sends what is missing or different, and completes. When the backend
/// no longer knows the upload (aborted, or Glacier dropped it after about a day), a new upload is made from the spool.
/// The spool is checked against the archive SHA-256 recorded when it was sealed before anything is completed.
/// </summary>
internal sealed class UploadResumer(IMultipartBackend backend, ArchiveUploadInfo info, ILogger logger)
{
    /// <summary>Uploads what is missing and returns the stored archive. The spool is left for the caller to delete.</summary>
    /// <param name="spoolPath">The sealed spool.</param>
    /// <param name="ticket">The upload recorded in the log, or null when none was started.</param>
    /// <param name="expectedSha256">The archive's SHA-256 (hex) as recorded when the spool was sealed.</param>
    /// <param name="completingTarget">Where a completion was under way when the process ended (from the log), or null.</param>
    /// <param name="cancellationToken">Cancels the resume (the spool and upload stay resumable).</param>
    public async Task<StoredArchive> ResumeAsync(string spoolPath, MultipartTicket? ticket, string expectedSha256, string? completingTarget,
        CancellationToken cancellationToken)
    {
        using ArchiveSpool spool = ArchiveSpool.Open(spoolPath);
        Dictionary<int, UploadedPart> held = [];
        if (ticket is not null)
        {
            Dictionary<int, UploadedPart>? listed = await HeldPartsAsync(ticket, cancellationToken).ConfigureAwait(false);
            (ticket, held) = listed is null ? (null, held) : (ticket, listed);
        }

        // No live upload, but a completion was under way: the archive may already exist. Adopt it rather than store it twice.
        if (ticket is null && completingTarget is not null
            && await FindCompletedAsync(completingTarget, spool.Length, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        if (ticket is null && spool.Length <= backend.PartSize)
        {
            byte[] whole = new byte[spool.Length];
            await spool.ReadExactlyAsync(whole, 0, cancellationToken).ConfigureAwait(false);
            CheckSha256(SHA256.HashData(whole), expectedSha256, spoolPath);
            string target = backend.NewTarget(info);
            await (info.Journal?.CompletingAsync(target, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            return await backend.PutWholeAsync(target, info, whole, cancellationToken).ConfigureAwait(false);
        }

        return await SendMissingAsync(spool, ticket, held, expectedSha256, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredArchive> SendMissingAsync(ArchiveSpool spool, MultipartTicket? ticket, Dictionary<int, UploadedPart> held,
        string expectedSha256, CancellationToken cancellationToken)
    {
        long partSize = ticket?.PartSize ?? backend.PartSize;
        int parts = checked((int)((spool.Length + partSize - 1) / partSize));
        var buffers = new PartBuffers(partSize);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var sender = new PartSender(backend, info, ticket?.Target ?? backend.NewTarget(info), ticket);
        int reused = 0;
        for (int index = 0; index < parts; index++)
        {
            int length = checked((int)Math.Min(partSize, spool.Length - (index * partSize)));
            await sender.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
            byte[] buffer = buffers.Rent();
            try
            {
                await spool.ReadExactlyAsync(buffer.AsMemory(0, length), index * partSize, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                buffers.Return(buffer);
                sender.ReleaseSlot();
                throw;
            }

            sha.AppendData(buffer, 0, length);
            if (held.TryGetValue(index, out UploadedPart? part) && part.Length == length && backend.Holds(part, buffer.AsSpan(0, length)))
            {
                buffers.Return(buffer);
                sender.Accept(part);
                reused++;
                continue;
            }

            await sender.SendAsync(index, buffer, length, buffers.Return, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<UploadedPart> all = await sender.FinishAsync(parts).ConfigureAwait(false);
        CheckSha256(sha.GetHashAndReset(), expectedSha256, spool.Path);
        logger.LogInformation("Upload of run {RunKey}: {Reused} of {Parts} parts were already stored, {Sent} sent now",
            info.RunKey, reused, parts, parts - reused);
        await (info.Journal?.CompletingAsync(sender.Ticket!.Target, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
        return await backend.CompleteAsync(sender.Ticket!, all, spool.Length, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredArchive?> FindCompletedAsync(string target, long size, CancellationToken cancellationToken)
    {
        StoredArchive? stored = await backend.FindStoredAsync(target, info, size, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            logger.LogInformation("Run {RunKey}: its archive was stored just before the process ended ({ArchiveId}); nothing to upload",
                info.RunKey, stored.ArchiveId);
        }
        else
        {
            logger.LogWarning("Run {RunKey}: its upload was being completed when the process ended and the service cannot say whether " +
                "that stored the archive; storing it again. If the first completion did store it, 'autoglacier inventory' lists that copy " +
                "as unknown to the log (its description names run {RunKey}); delete it then.", info.RunKey, info.RunKey);
        }

        return stored;
    }

    /// <summary>The parts the backend holds, or null when it no longer knows the upload.</summary>
    private async Task<Dictionary<int, UploadedPart>?> HeldPartsAsync(MultipartTicket ticket, CancellationToken cancellationToken)
    {
        var held = new Dictionary<int, UploadedPart>();
        try
        {
            await foreach (UploadedPart part in backend.ListPartsAsync(ticket, cancellationToken).ConfigureAwait(false))
            {
                held[part.Index] = part;
            }
        }
        catch (UploadGoneException ex)
        {
            logger.LogWarning("Upload {UploadId} of run {RunKey} is gone ({Reason}); uploading the archive again from the spool",
                ticket.UploadId, info.RunKey, ex.Message);
            return null;
        }

        return held;
    }

    private static void CheckSha256(byte[] actual, string expected, string spoolPath)
    {
        if (!string.Equals(Convert.ToHexStringLower(actual), expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new SpoolDamagedException($"The upload spool {spoolPath} does not match the archive SHA-256 recorded when it was written " +
                $"({expected}); it was damaged on disk. Nothing was completed from it.");
        }
    }
}
