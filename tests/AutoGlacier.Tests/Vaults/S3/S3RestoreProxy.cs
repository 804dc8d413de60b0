using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// A thin HTTP layer in front of s3rver that plays S3's restore state machine, which s3rver lacks: it implements
/// <c>POST ?restore</c>, adds <c>x-amz-restore</c> to HEAD/GET of GLACIER/DEEP_ARCHIVE objects, refuses GETs of
/// archived objects not restored with 403 InvalidObjectState, and (as S3 does) checks <c>x-amz-checksum-sha256</c>.
/// Everything else is forwarded byte for byte (Host header too, so SigV4 signatures still verify): every byte of
/// object data is stored and served by s3rver. Tests can inject faults per request.
/// </summary>
/// <remarks>
/// s3rver lacks ListParts too (it answers 405 MethodNotAllowed). The proxy remembers each multipart upload it forwards
/// (from the InitiateMultipartUpload answer, and every part s3rver accepted: number, size, the client's
/// <c>x-amz-checksum-sha256</c>, s3rver's ETag) and answers ListParts itself, paginated as S3 does, with NoSuchUpload
/// for upload ids it does not know. <see cref="ImplementListParts"/> = false leaves ListParts to s3rver (405).
/// </remarks>
public sealed class S3RestoreProxy : IAsyncDisposable
{
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Upgrade", "Expect", "Host", "Proxy-Connection"];

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _restoreReadyAt = new();
    private readonly ConcurrentDictionary<string, string> _storageClasses = new();
    private readonly ConcurrentDictionary<string, TrackedUpload> _uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _finishedUploads = new(StringComparer.Ordinal);

    private S3RestoreProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = upstream,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>http://127.0.0.1:PORT of the proxy.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>How long a restore takes (0: ready at the next HEAD).</summary>
    public TimeSpan RestoreDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Every request seen, in order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Restore requests: object path → (tier, days).</summary>
    public ConcurrentDictionary<string, (string? Tier, string? Days)> Restores { get; } = new();

    /// <summary>Called first for every request; return true when it answered the request itself (a fault).</summary>
    public Func<HttpContext, SeenRequest, Task<bool>>? Fault { get; set; }

    /// <summary>True (default): the proxy answers ListParts; false: ListParts goes to s3rver, which answers 405.</summary>
    public bool ImplementListParts { get; set; } = true;

    /// <summary>The most parts one ListParts page holds (S3: 1000, also the default when the client sends no max-parts).</summary>
    public int ListPartsPageSize { get; set; } = 1000;

    /// <summary>Upload ids of the multipart uploads initiated (or written to) through the proxy and not completed yet.</summary>
    public IReadOnlyCollection<string> OpenUploads => _uploads.Keys.ToArray();

    /// <summary>The parts s3rver accepted for <paramref name="uploadId"/> (by part number), as ListParts reports them.</summary>
    public IReadOnlyList<ListedPart> PartsOf(string uploadId) =>
        _uploads.TryGetValue(uploadId, out TrackedUpload? upload) ? upload.Sorted() : [];

    public static async Task<S3RestoreProxy> StartAsync(Uri upstream)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxRequestBodySize = null;
        });
        WebApplication app = builder.Build();
        var proxy = new S3RestoreProxy(app, upstream);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Endpoint = new Uri(address);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    /// <summary>Count of requests matching <paramref name="predicate"/>.</summary>
    public int Count(Func<SeenRequest, bool> predicate) => Requests.Count(predicate);

    private async Task HandleAsync(HttpContext context)
    {
        string rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var seen = new SeenRequest(context.Request.Method, rawTarget,
            context.Request.Headers["x-amz-checksum-sha256"].ToString(), context.Request.Headers.ContentEncoding.ToString(),
            context.Request.Headers["x-amz-storage-class"].ToString());
        Requests.Enqueue(seen);
        if (Fault is { } fault && await fault(context, seen))
        {
            return;
        }

        if (seen.UploadId is { } uploadId && _finishedUploads.ContainsKey(uploadId) && (ImplementListParts || !seen.IsListParts))
        {
            await WriteNoSuchUploadAsync(context);
            return;
        }

        if (seen.IsAbort)
        {
            FinishUpload(seen.UploadId!);
            context.Response.StatusCode = 204;
            return;
        }

        if (seen.IsRestore)
        {
            await AnswerRestoreAsync(context, seen.ObjectPath);
            return;
        }

        if (ImplementListParts && seen.IsListParts)
        {
            await AnswerListPartsAsync(context, seen);
            return;
        }

        await ForwardAsync(context, seen);
    }

    private async Task AnswerRestoreAsync(HttpContext context, string objectPath)
    {
        if (_storageClasses.TryGetValue(objectPath, out string? known) && !IsArchived(known))
        {
            await WriteErrorAsync(context, 403, "InvalidObjectState", "Restore is not allowed for the object's current storage class");
            return;
        }

        XDocument body = XDocument.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync());
        string? tier = body.Descendants().FirstOrDefault(e => e.Name.LocalName == "Tier")?.Value;
        string? days = body.Descendants().FirstOrDefault(e => e.Name.LocalName == "Days")?.Value;
        Restores[objectPath] = (tier, days);
        bool first = _restoreReadyAt.TryAdd(objectPath, DateTimeOffset.UtcNow + RestoreDelay);
        context.Response.StatusCode = first ? 202 : 200;
    }

    private async Task ForwardAsync(HttpContext context, SeenRequest seen)
    {
        using HttpRequestMessage request = await BuildUpstreamRequestAsync(context, seen);
        long bodyLength = request.Content is ByteArrayContent buffered ? (await buffered.ReadAsByteArrayAsync()).LongLength : -1;
        if (request.Content is ByteArrayContent && !ChecksumMatches(seen, await request.Content.ReadAsByteArrayAsync()))
        {
            await WriteErrorAsync(context, 400, "BadDigest", "The SHA256 you specified did not match the calculated checksum.");
            return;
        }

        using HttpResponseMessage response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        byte[]? initiated = null;
        if (response.IsSuccessStatusCode)
        {
            initiated = await TrackMultipartAsync(seen, response, bodyLength);
        }

        string? storageClass = response.Headers.TryGetValues("x-amz-storage-class", out var values) ? values.First() : null;
        if (seen.Method is "HEAD" or "GET" && response.IsSuccessStatusCode)
        {
            _storageClasses[seen.ObjectPath] = storageClass ?? "STANDARD";
        }

        bool archived = IsArchived(storageClass) && response.IsSuccessStatusCode;
        bool restored = _restoreReadyAt.TryGetValue(seen.ObjectPath, out DateTimeOffset readyAt) && DateTimeOffset.UtcNow >= readyAt;
        if (archived && seen.Method == "GET" && !restored)
        {
            await WriteErrorAsync(context, 403, "InvalidObjectState", "The operation is not valid for the object's storage class");
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        CopyHeaders(response, context.Response);
        if (archived && _restoreReadyAt.ContainsKey(seen.ObjectPath))
        {
            context.Response.Headers["x-amz-restore"] = restored
                ? $"ongoing-request=\"false\", expiry-date=\"{DateTimeOffset.UtcNow.AddDays(7).ToString("r", CultureInfo.InvariantCulture)}\""
                : "ongoing-request=\"true\"";
        }

        if (initiated is not null)
        {
            await context.Response.Body.WriteAsync(initiated, context.RequestAborted);
        }
        else if (seen.Method != "HEAD")
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary>
    /// Remembers what a successful multipart request did: an initiated upload (its answer is read here and returned, to
    /// be sent on unchanged), a part s3rver accepted, or a completed/aborted upload (forgotten).
    /// </summary>
    private async Task<byte[]?> TrackMultipartAsync(SeenRequest seen, HttpResponseMessage response, long bodyLength)
    {
        var query = QueryHelpers.ParseQuery(seen.Query);
        if (seen.Method == "POST" && query.ContainsKey("uploads"))
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            string? uploadId = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Descendants()
                .FirstOrDefault(e => e.Name.LocalName == "UploadId")?.Value;
            if (!string.IsNullOrEmpty(uploadId))
            {
                _uploads.TryAdd(uploadId, new TrackedUpload(seen.ObjectPath, seen.StorageClass.Length > 0 ? seen.StorageClass : "STANDARD"));
            }

            return body;
        }

        if (!query.TryGetValue("uploadId", out var ids) || ids.ToString() is not { Length: > 0 } id)
        {
            return null;
        }

        if (seen.IsUploadPart && int.TryParse(query["partNumber"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int partNumber))
        {
            string etag = response.Headers.TryGetValues("ETag", out var etags) ? etags.First() : "";
            TrackedUpload upload = _uploads.GetOrAdd(id, _ => new TrackedUpload(seen.ObjectPath, "STANDARD"));
            upload.Parts[partNumber] = new ListedPart(partNumber, Math.Max(0, bodyLength), seen.Checksum, etag, DateTimeOffset.UtcNow);
        }
        else if (seen.Method is "POST" or "DELETE")
        {
            FinishUpload(id); // completed: S3 no longer knows the upload id
        }

        return null;
    }

    /// <summary>GET /bucket/key?uploadId=X[&amp;part-number-marker=N][&amp;max-parts=M], answered as S3 does.</summary>
    private async Task AnswerListPartsAsync(HttpContext context, SeenRequest seen)
    {
        var query = QueryHelpers.ParseQuery(seen.Query);
        string uploadId = query["uploadId"].ToString();
        if (!_uploads.TryGetValue(uploadId, out TrackedUpload? upload) || upload.ObjectPath != seen.ObjectPath)
        {
            await WriteNoSuchUploadAsync(context);
            return;
        }

        int marker = 0;
        int maxParts = 1000;
        if ((query.TryGetValue("part-number-marker", out var m) && !int.TryParse(m.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out marker))
            || (query.TryGetValue("max-parts", out var mp) && !int.TryParse(mp.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out maxParts)))
        {
            await WriteErrorAsync(context, 400, "InvalidArgument", "part-number-marker and max-parts must be non-negative integers");
            return;
        }

        maxParts = Math.Min(maxParts, Math.Min(1000, ListPartsPageSize));
        ListedPart[] after = upload.Sorted().Where(p => p.PartNumber > marker).ToArray();
        ListedPart[] page = after.Take(maxParts).ToArray();
        bool truncated = after.Length > page.Length;
        string path = seen.ObjectPath.TrimStart('/');
        int slash = path.IndexOf('/');
        XNamespace ns = "http://s3.amazonaws.com/doc/2006-03-01/";
        var result = new XElement(ns + "ListPartsResult",
            new XElement(ns + "Bucket", path[..slash]),
            new XElement(ns + "Key", path[(slash + 1)..]),
            new XElement(ns + "UploadId", uploadId),
            new XElement(ns + "PartNumberMarker", marker),
            new XElement(ns + "NextPartNumberMarker", page.Length > 0 ? page[^1].PartNumber : marker),
            new XElement(ns + "MaxParts", maxParts),
            new XElement(ns + "IsTruncated", truncated ? "true" : "false"),
            new XElement(ns + "StorageClass", upload.StorageClass),
            page.Select(p => new XElement(ns + "Part",
                new XElement(ns + "PartNumber", p.PartNumber),
                new XElement(ns + "LastModified", p.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(ns + "ETag", p.ETag),
                new XElement(ns + "Size", p.Size),
                p.ChecksumSha256.Length > 0 ? new XElement(ns + "ChecksumSHA256", p.ChecksumSha256) : null)));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + result.ToString(SaveOptions.DisableFormatting));
    }

    private void FinishUpload(string uploadId)
    {
        _finishedUploads[uploadId] = true;
        _uploads.TryRemove(uploadId, out _);
    }

    private static Task WriteNoSuchUploadAsync(HttpContext context) => WriteErrorAsync(context, 404, "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

    private async Task<HttpRequestMessage> BuildUpstreamRequestAsync(HttpContext context, SeenRequest seen)
    {
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_upstream.BaseAddress!, seen.RawTarget));
        bool hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        if (hasBody && (seen.Checksum.Length > 0 || seen.IsUploadPart))
        {
            // Buffered only to verify the checksum as S3 does (and to know a part's size for ListParts); the bytes
            // forwarded are exactly those received.
            var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            request.Content = new ByteArrayContent(copy.ToArray());
        }
        else if (hasBody)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, value) in context.Request.Headers)
        {
            if (HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase)) { continue; }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!);
            }
        }

        request.Headers.Host = context.Request.Host.Value; // signed by the client: must reach s3rver unchanged
        return request;
    }

    private static bool ChecksumMatches(SeenRequest seen, byte[] body) =>
        seen.Checksum.Length == 0 || seen.Checksum == Convert.ToBase64String(SHA256.HashData(body));

    private static void CopyHeaders(HttpResponseMessage from, HttpResponse to)
    {
        foreach (var (name, values) in from.Headers.Concat(from.Content.Headers))
        {
            if (HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase)) { continue; }
            to.Headers[name] = values.ToArray();
        }
    }

    private static bool IsArchived(string? storageClass) => storageClass is "GLACIER" or "DEEP_ARCHIVE";

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>proxy</RequestId></Error>");
    }
}

/// <summary>One part of a multipart upload as the proxy's ListParts reports it.</summary>
public sealed record ListedPart(int PartNumber, long Size, string ChecksumSha256, string ETag, DateTimeOffset LastModified);

/// <summary>A multipart upload the proxy saw initiated or written to: the parts s3rver accepted, by part number.</summary>
internal sealed class TrackedUpload(string objectPath, string storageClass)
{
    public string ObjectPath { get; } = objectPath;

    public string StorageClass { get; } = storageClass;

    public ConcurrentDictionary<int, ListedPart> Parts { get; } = new();

    public ListedPart[] Sorted() => Parts.Values.OrderBy(p => p.PartNumber).ToArray();
}

/// <summary>One request the proxy saw.</summary>
public sealed record SeenRequest(string Method, string RawTarget, string Checksum, string ContentEncoding, string StorageClass)
{
    /// <summary>The path without the query, unescaped: "/bucket/key".</summary>
    public string ObjectPath => Uri.UnescapeDataString(RawTarget.Split('?')[0]);

    public string Query => RawTarget.Contains('?') ? RawTarget[(RawTarget.IndexOf('?') + 1)..] : "";

    public bool IsRestore => Method == "POST" && Query.Split('&').Any(p => p is "restore" or "restore=");

    public bool IsUploadPart => Method == "PUT" && Query.Contains("partNumber=", StringComparison.Ordinal) && Query.Contains("uploadId=", StringComparison.Ordinal);

    public bool IsAbort => Method == "DELETE" && Query.Contains("uploadId=", StringComparison.Ordinal);

    /// <summary>The uploadId query parameter, when there is one.</summary>
    public string? UploadId => QueryHelpers.ParseQuery(Query).TryGetValue("uploadId", out var id) && id.ToString() is { Length: > 0 } value ? value : null;

    public bool IsPutObject => Method == "PUT" && Query.Length == 0;

    /// <summary>GET /bucket/key?uploadId=…: ListParts.</summary>
    public bool IsListParts => Method == "GET" && QueryNames.Contains("uploadId");

    private IEnumerable<string> QueryNames => Query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => Uri.UnescapeDataString(p.Split('=')[0]));
}
