namespace AutoGlacier.Vaults.Multipart;

/// <summary>Aborting an upload that will not be completed or resumed.</summary>
internal static class UploadAbort
{
    /// <summary>
    /// Aborts, swallowing failures: the caller is already failing, and the backends drop idle uploads anyway (Glacier
    /// after about a day; S3 with an AbortIncompleteMultipartUpload lifecycle rule, see docs/S3.md). Bounded in time,
    /// so a failing run with the network gone is not held for minutes of retries. Returns whether the abort went through.
    /// Backends report their SDK's errors as <see cref="AutoGlacierException"/> (<see cref="IMultipartBackend.AbortAsync"/>).
    /// </summary>
    public static async Task<bool> QuietlyAsync(IMultipartBackend backend, MultipartTicket ticket)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await backend.AbortAsync(ticket, bounded.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or HttpRequestException or OperationCanceledException)
        {
            return false; // See summary.
        }
    }
}
