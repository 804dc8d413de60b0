using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime.Signing;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// A small typed client for the Glacier REST API on HttpClient, signed by AWSSDK.Core's SigV4 handler. Every
/// request carries x-amz-glacier-version and x-amz-content-sha256 (so the signer never buffers a body); retryable
/// failures are retried by <see cref="GlacierRetryPolicy"/>, others throw <see cref="GlacierServiceException"/>.
/// </summary>
internal sealed class GlacierClient : IDisposable
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly HttpClient _http;
    private readonly GlacierRetryPolicy _retry;

    public GlacierClient(GlacierSettings settings)
    {
        Settings = settings;
        _retry = new GlacierRetryPolicy(settings);
        var transport = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        _http = new HttpClient(new SigV4SigningHandler(settings.Credentials, RegionEndpoint.GetBySystemName(settings.Region), "glacier", transport))
        {
            BaseAddress = settings.BaseUri,
            Timeout = Timeout.InfiniteTimeSpan, // per attempt instead, see SendAsync
        };
    }

    public GlacierSettings Settings { get; }

    private string VaultPath => "/-/vaults/" + Uri.EscapeDataString(Settings.VaultName);

    public async Task<bool> VaultExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage _ = await SendAsync(new GlacierCall("DescribeVault"), () => new HttpRequestMessage(HttpMethod.Get, VaultPath), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GlacierServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            return false;
        }
    }

    public async Task CreateVaultAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage _ = await SendAsync(new GlacierCall("CreateVault"), () => new HttpRequestMessage(HttpMethod.Put, VaultPath), cancellationToken).ConfigureAwait(false);
    }

    public async Task<(string ArchiveId, string Location)> UploadArchiveAsync(ReadOnlyMemory<byte> data, PartHashes hashes, string description, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(new GlacierCall("UploadArchive"), () =>
        {
            HttpRequestMessage request = Body(HttpMethod.Post, VaultPath + "/archives", data, hashes.Sha256);
            request.Headers.Add("x-amz-sha256-tree-hash", hashes.TreeHashHex);
            request.Headers.Add("x-amz-archive-description", description);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        return ArchiveCreated(response);
    }

    public async Task<string> InitiateMultipartUploadAsync(long partSize, string description, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(new GlacierCall("InitiateMultipartUpload"), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, VaultPath + "/multipart-uploads");
            request.Headers.Add("x-amz-part-size", partSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("x-amz-archive-description", description);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        return Header(response, "x-amz-multipart-upload-id");
    }

    public async Task UploadPartAsync(string uploadId, long start, ReadOnlyMemory<byte> data, PartHashes hashes, GlacierCall call, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(call, () =>
        {
            HttpRequestMessage request = Body(HttpMethod.Put, UploadPath(uploadId), data, hashes.Sha256);
            request.Content!.Headers.ContentRange = new ContentRangeHeaderValue(start, start + data.Length - 1);
            request.Headers.Add("x-amz-sha256-tree-hash", hashes.TreeHashHex);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        string echoed = Header(response, "x-amz-sha256-tree-hash");
        if (!string.Equals(echoed, hashes.TreeHashHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new GlacierServiceException(GlacierErrorMessages.Describe(call, Settings, $"Glacier stored tree hash {echoed}, we sent {hashes.TreeHashHex}", "The part was corrupted in transit; run the backup again."));
        }
    }

    public async Task<(string ArchiveId, string Location)> CompleteMultipartUploadAsync(string uploadId, long archiveSize, string treeHash, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(new GlacierCall("CompleteMultipartUpload", $"upload {uploadId}"), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, UploadPath(uploadId));
            request.Headers.Add("x-amz-archive-size", archiveSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("x-amz-sha256-tree-hash", treeHash);
            return request;
        }, cancellationToken).ConfigureAwait(false);
        return ArchiveCreated(response);
    }

    /// <summary>One page of ListParts: each part's byte range and tree hash, and the marker of the next page (null at the end).</summary>
    public async Task<(List<(long Start, long End, string TreeHash)> Parts, string? Marker)> ListPartsAsync(string uploadId, string? marker, CancellationToken cancellationToken)
    {
        string query = marker is null ? "" : "?marker=" + Uri.EscapeDataString(marker);
        using HttpResponseMessage response = await SendAsync(new GlacierCall("ListParts", $"upload {uploadId}"),
            () => new HttpRequestMessage(HttpMethod.Get, UploadPath(uploadId) + query), cancellationToken).ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using JsonDocument json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var parts = new List<(long, long, string)>();
        foreach (JsonElement part in json.RootElement.GetProperty("Parts").EnumerateArray())
        {
            string range = part.GetProperty("RangeInBytes").GetString() ?? "";
            int dash = range.IndexOf('-', StringComparison.Ordinal);
            parts.Add((long.Parse(range.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(range.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture),
                part.GetProperty("SHA256TreeHash").GetString() ?? ""));
        }

        string? next = json.RootElement.TryGetProperty("Marker", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return (parts, next);
    }

    public async Task AbortMultipartUploadAsync(string uploadId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage _ = await SendAsync(new GlacierCall("AbortMultipartUpload", $"upload {uploadId}"),
            () => new HttpRequestMessage(HttpMethod.Delete, UploadPath(uploadId)), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteArchiveAsync(string archiveId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage _ = await SendAsync(new GlacierCall("DeleteArchive", $"archive {archiveId}"),
            () => new HttpRequestMessage(HttpMethod.Delete, VaultPath + "/archives/" + Uri.EscapeDataString(archiveId)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> InitiateJobAsync(IReadOnlyDictionary<string, string> parameters, GlacierCall call, CancellationToken cancellationToken)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(parameters, GlacierJsonContext.Default.IReadOnlyDictionaryStringString);
        using HttpResponseMessage response = await SendAsync(call,
            () => Body(HttpMethod.Post, VaultPath + "/jobs", json, Convert.ToHexStringLower(SHA256.HashData(json))), cancellationToken).ConfigureAwait(false);
        return Header(response, "x-amz-job-id");
    }

    public async Task<GlacierJob> DescribeJobAsync(string jobId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(new GlacierCall("DescribeJob", $"job {jobId}"),
            () => new HttpRequestMessage(HttpMethod.Get, VaultPath + "/jobs/" + Uri.EscapeDataString(jobId)), cancellationToken).ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using JsonDocument json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return GlacierJob.Parse(json.RootElement);
    }

    /// <summary>Lists the vault's jobs (all pages), newest last as Glacier returns them.</summary>
    public async Task<List<GlacierJob>> ListJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<GlacierJob>();
        string? marker = null;
        do
        {
            string query = marker is null ? "" : "?marker=" + Uri.EscapeDataString(marker);
            using HttpResponseMessage response = await SendAsync(new GlacierCall("ListJobs"),
                () => new HttpRequestMessage(HttpMethod.Get, VaultPath + "/jobs" + query), cancellationToken).ConfigureAwait(false);
            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using JsonDocument json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            jobs.AddRange(json.RootElement.GetProperty("JobList").EnumerateArray().Select(GlacierJob.Parse));
            marker = json.RootElement.TryGetProperty("Marker", out JsonElement next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (marker is not null);

        return jobs;
    }

    /// <summary>GETs bytes <paramref name="start"/>..<paramref name="end"/> (inclusive; null for all) of a job's output; the caller reads and disposes the response.</summary>
    public Task<HttpResponseMessage> GetJobOutputAsync(string jobId, long? start, long? end, CancellationToken cancellationToken) =>
        SendAsync(new GlacierCall("GetJobOutput", start is null ? $"job {jobId}" : $"job {jobId}, bytes {start}-{end}"), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, VaultPath + "/jobs/" + Uri.EscapeDataString(jobId) + "/output");
            if (start is not null)
            {
                request.Headers.Range = new RangeHeaderValue(start, end);
            }

            return request;
        }, cancellationToken, streamResponse: true);

    /// <summary>Sends with retries; returns the successful response or throws an actionable <see cref="GlacierServiceException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(GlacierCall call, Func<HttpRequestMessage> build, CancellationToken cancellationToken, bool streamResponse = false)
    {
        for (int attempt = 1; ; attempt++)
        {
            bool last = attempt >= _retry.MaxAttempts;
            string failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Settings.RequestTimeout);
                using HttpRequestMessage request = Prepare(build());
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, streamResponse ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
                {
                    failure = ex is OperationCanceledException ? $"no answer within {Settings.RequestTimeout}" : "connection failed (" + ex.GetType().Name + ": " + ex.Message + ")";
                    if (last)
                    {
                        throw new GlacierServiceException(GlacierErrorMessages.Describe(call, Settings, $"{failure}, {attempt} attempts", GlacierErrorMessages.Advice(call, Settings, "")), "", 0, ex);
                    }

                    await Task.Delay(_retry.Delay(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    return response;
                }

                using (response)
                {
                    GlacierErrorBody error = await GlacierErrorBody.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                    failure = $"{error.Code} (HTTP {error.Status}): {error.Message}";
                    if (!GlacierRetryPolicy.IsRetryable(error) || last)
                    {
                        string tries = GlacierRetryPolicy.IsRetryable(error) ? $" after {attempt} attempts" : "";
                        throw new GlacierServiceException(GlacierErrorMessages.Describe(call, Settings, failure + tries, GlacierErrorMessages.Advice(call, Settings, error.Code)), error.Code, error.Status);
                    }
                }
            }

            await Task.Delay(_retry.Delay(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static HttpRequestMessage Prepare(HttpRequestMessage request)
    {
        request.Headers.Add("x-amz-glacier-version", "2012-06-01");
        if (!request.Headers.Contains("x-amz-content-sha256"))
        {
            request.Headers.Add("x-amz-content-sha256", EmptySha256);
        }

        return request;
    }

    private static HttpRequestMessage Body(HttpMethod method, string path, ReadOnlyMemory<byte> data, string sha256)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ReadOnlyMemoryContent(data) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("x-amz-content-sha256", sha256);
        return request;
    }

    private string UploadPath(string uploadId) => VaultPath + "/multipart-uploads/" + Uri.EscapeDataString(uploadId);

    private static (string ArchiveId, string Location) ArchiveCreated(HttpResponseMessage response) =>
        (Header(response, "x-amz-archive-id"), response.Headers.Location?.ToString() ?? "");

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.First() : throw new GlacierServiceException($"Glacier's answer lacks the {name} header; check ENDPOINT_URL points at a Glacier endpoint.");
}
