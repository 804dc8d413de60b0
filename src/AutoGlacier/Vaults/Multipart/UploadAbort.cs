namespace AutoGlacier.Vaults.Multipart;

/// <summary>Aborting an upload that will not be completed or resumed.</summary>
internal static class UploadAbort
{
    /// <summary>
    /// Aborts, swallowing failures: the caller is already failing, and the backends drop idle uploads anyway (Glacier
    /// after about a day; S3 with an AbortIncompleteMultipartUpload lifecycle rule, see docs/S3.md).
    /// </summary>
    public static async Task QuietlyAsync(IMultipartBackend backend, MultipartTicket ticket)
    {
        try
        {
            await backend.AbortAsync(ticket, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AutoGlacierException or IOException or HttpRequestException or OperationCanceledException
            or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            // See summary.
        }
    }
}
