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
public sealed class S3RestoreProxy : IAsyncDisposable
{
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Upgrade", "Expect", "Host", "Proxy-Connection"];

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _restoreReadyAt = new();
    private readonly ConcurrentDictionary<string, string> _storageClasses = new();

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

        if (seen.IsRestore)
        {
            await AnswerRestoreAsync(context, seen.ObjectPath);
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
        if (request.Content is ByteArrayContent && !ChecksumMatches(seen, await request.Content.ReadAsByteArrayAsync()))
        {
            await WriteErrorAsync(context, 400, "BadDigest", "The SHA256 you specified did not match the calculated checksum.");
            return;
        }

        using HttpResponseMessage response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
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

        if (seen.Method != "HEAD")
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private async Task<HttpRequestMessage> BuildUpstreamRequestAsync(HttpContext context, SeenRequest seen)
    {
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_upstream.BaseAddress!, seen.RawTarget));
        bool hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        if (hasBody && seen.Checksum.Length > 0)
        {
            // Buffered only to verify the checksum as S3 does; the bytes forwarded are exactly those received.
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

/// <summary>One request the proxy saw.</summary>
public sealed record SeenRequest(string Method, string RawTarget, string Checksum, string ContentEncoding, string StorageClass)
{
    /// <summary>The path without the query, unescaped: "/bucket/key".</summary>
    public string ObjectPath => Uri.UnescapeDataString(RawTarget.Split('?')[0]);

    public string Query => RawTarget.Contains('?') ? RawTarget[(RawTarget.IndexOf('?') + 1)..] : "";

    public bool IsRestore => Method == "POST" && Query.Split('&').Any(p => p is "restore" or "restore=");

    public bool IsUploadPart => Method == "PUT" && Query.Contains("partNumber=", StringComparison.Ordinal) && Query.Contains("uploadId=", StringComparison.Ordinal);

    public bool IsAbort => Method == "DELETE" && Query.Contains("uploadId=", StringComparison.Ordinal);

    public bool IsPutObject => Method == "PUT" && Query.Length == 0;
}
