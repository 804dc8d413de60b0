using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AutoGlacier.LocalGlacier;

/// <summary>
/// Handles every request: match the operation, inject a configured fault, verify the signature and the
/// x-amz-glacier-version header, run the operation, and turn failures into Glacier's JSON errors.
/// </summary>
internal sealed class GlacierDispatcher(LocalGlacierOptions options, StoreLayout layout, FaultInjector faults)
{
    private readonly SigV4Verifier _verifier = new(options.AccessKey, options.SecretKey, options.ClockSkew);
    private readonly VaultOperations _vaults = new(layout);
    private readonly ArchiveOperations _archives = new(layout);
    private readonly JobOperations _jobs = new(layout, options.JobDelay);
    private readonly JobOutputOperation _output = new(layout);
    // ArchiveOperations is stateless: a second instance stores completed uploads the same way.
    private readonly MultipartOperations _multipart = new(layout, new ArchiveOperations(layout));

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
            GlacierRoute route = Route(context.Request.Method, rawTarget);
            FaultRule? fault = faults.Next(route.Operation);
            if (fault is not null && await InjectAsync(context, fault))
            {
                return;
            }

            await AuthenticateAsync(context, route, rawTarget);
            await RunAsync(context, route, fault?.Kind == FaultKind.DropConnection);
        }
        catch (GlacierException error) when (!context.Response.HasStarted)
        {
            await GlacierResponses.ErrorAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away, or a fault dropped the connection: nobody to answer.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException && !context.Response.HasStarted)
        {
            // A storage problem on the server's side: answer as Glacier does for its own failures (retryable 500).
            await GlacierResponses.ErrorAsync(context, new GlacierException(500, "ServiceUnavailableException", "local-glacier storage error: " + ex.Message, "Server"));
        }
    }

    private static GlacierRoute Route(string method, string rawTarget)
    {
        string path = rawTarget.Split('?', 2)[0];
        string[] segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        return GlacierRoute.Match(method, segments)
            ?? throw new GlacierException(404, "UnknownOperationException", $"No Glacier operation matches {method} {path}.");
    }

    /// <summary>Applies a fault; true when it already answered (or dropped) the request.</summary>
    private static async Task<bool> InjectAsync(HttpContext context, FaultRule fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(fault.Delay, context.RequestAborted);
                return false;
            case FaultKind.DropConnection:
                if (context.Request.ContentLength is > 0 || context.Request.Method == "GET")
                {
                    return false; // Dropped mid-body (upload) or mid-output (GetJobOutput) by the operation.
                }

                context.Abort();
                return true;
            default:
                // Drain the body first, so the client sees the error instead of a reset while still sending.
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                await GlacierResponses.ErrorAsync(context, fault.Kind switch
                {
                    FaultKind.Throttling => new GlacierException(400, "ThrottlingException", "Rate exceeded (injected fault)."),
                    FaultKind.RequestTimeout => new GlacierException(408, "RequestTimeoutException", "Request timed out (injected fault)."),
                    FaultKind.Status503 => new GlacierException(503, "ServiceUnavailableException", "Service unavailable (injected fault).", "Server"),
                    _ => new GlacierException(500, "ServiceUnavailableException", "Service unavailable (injected fault).", "Server"),
                });
                return true;
        }
    }

    private async Task AuthenticateAsync(HttpContext context, GlacierRoute route, string rawTarget)
    {
        string declared = context.Request.Headers["x-amz-content-sha256"].ToString();
        string payloadHash;
        if (route.HasDataBody)
        {
            // Archive data streams to disk; the declared hash is checked against the bytes as they arrive.
            payloadHash = !string.IsNullOrEmpty(declared) ? declared : throw GlacierException.MissingParameter("Required header missing: x-amz-content-sha256.");
        }
        else
        {
            payloadHash = await SmallBodyHashAsync(context.Request);
            if (!string.IsNullOrEmpty(declared) && !string.Equals(declared, payloadHash, StringComparison.OrdinalIgnoreCase))
            {
                throw GlacierException.InvalidParameter("x-amz-content-sha256 does not match the body.");
            }
        }

        _verifier.Verify(context.Request, rawTarget, payloadHash.ToLowerInvariant());
        string version = context.Request.Headers["x-amz-glacier-version"].ToString();
        if (version != "2012-06-01")
        {
            throw string.IsNullOrEmpty(version)
                ? GlacierException.MissingParameter("Required header missing: x-amz-glacier-version.")
                : GlacierException.InvalidParameter($"Unsupported x-amz-glacier-version '{version}': use 2012-06-01.");
        }
    }

    private static async Task<string> SmallBodyHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray()));
    }

    private Task RunAsync(HttpContext context, GlacierRoute route, bool drop)
    {
        string vault = route.Vault ?? "";
        string id = route.Id ?? "";
        return route.Operation switch
        {
            "ListVaults" => _vaults.ListAsync(context),
            "CreateVault" => _vaults.CreateAsync(context, vault),
            "DescribeVault" => _vaults.DescribeAsync(context, vault),
            "DeleteVault" => _vaults.DeleteAsync(context, vault),
            "UploadArchive" => _archives.UploadAsync(context, vault, drop),
            "DeleteArchive" => _archives.DeleteAsync(context, vault, id),
            "InitiateMultipartUpload" => _multipart.InitiateAsync(context, vault),
            "ListMultipartUploads" => _multipart.ListUploadsAsync(context, vault),
            "UploadMultipartPart" => _multipart.UploadPartAsync(context, vault, id, drop),
            "ListParts" => _multipart.ListPartsAsync(context, vault, id),
            "CompleteMultipartUpload" => _multipart.CompleteAsync(context, vault, id),
            "AbortMultipartUpload" => _multipart.AbortAsync(context, vault, id),
            "InitiateJob" => _jobs.InitiateAsync(context, vault),
            "ListJobs" => _jobs.ListAsync(context, vault),
            "DescribeJob" => _jobs.DescribeAsync(context, vault, id),
            "GetJobOutput" => _output.GetAsync(context, vault, id, drop),
            _ => throw new GlacierException(404, "UnknownOperationException", $"Unknown operation {route.Operation}."),
        };
    }
}
