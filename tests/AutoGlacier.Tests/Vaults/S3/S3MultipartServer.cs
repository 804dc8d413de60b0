using AutoGlacier.Configuration;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Multipart;
using AutoGlacier.Vaults.Multipart;
using AutoGlacier.Vaults.S3;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// S3 in the shared multipart suites: the shared s3rver behind a restore layer of the test's own (so its request
/// counts are the test's alone), a prefix of its own, 5 MiB parts. <paramref name="listsParts"/> false leaves
/// ListParts to s3rver (405); <paramref name="listPartsPageSize"/> pages the restore layer's ListParts.
/// </summary>
internal sealed class S3MultipartServer(S3Fixture fixture, S3RestoreProxy proxy, bool listsParts, int listPartsPageSize) : MultipartServer
{
    private readonly GteuConfig _config = fixture.Config(S3StorageClasses.Standard, proxy.Endpoint);

    public override int PartSize => 5 << 20;

    public override bool ListsParts => listsParts;

    public override int ListPartsPageSize => listPartsPageSize;

    public override bool FindsCompletedArchives => true;

    public override int AttemptsPerFailingPart => 1; // the fault is AccessDenied, which the SDK does not retry

    public override string PartChecksumPattern => "^[A-Za-z0-9+/]{43}=$"; // the part's SHA-256, base64

    public static async Task<MultipartServer> StartAsync(S3Fixture fixture, bool listsParts = true, int listPartsPageSize = 1000)
    {
        S3RestoreProxy proxy = await fixture.StartProxyAsync();
        proxy.ImplementListParts = listsParts;
        proxy.ListPartsPageSize = listPartsPageSize;
        return new S3MultipartServer(fixture, proxy, listsParts, listPartsPageSize);
    }

    public override IMultipartVault CreateVault(int partSizeFactor = 1, int? concurrency = null, int? maxParts = null) =>
        S3TestData.Vault(_config, options => options with
        {
            PartSize = (long)partSizeFactor * PartSize,
            UploadConcurrency = concurrency ?? options.UploadConcurrency,
            MaxParts = maxParts ?? options.MaxParts,
        });

    public override string WriteConfig(BackupWorld world) =>
        S3TestData.WriteConfigFile(world, S3TestData.WithS3(world.Config, _config with { UploadConcurrency = 1 }));

    public override RequestCounts Count() => new(
        proxy.Count(r => r.IsUploadPart), proxy.Count(r => r.IsListParts), proxy.Count(r => r.Method == "POST" && HasQueryName(r, "uploads")),
        proxy.Count(r => r.Method == "POST" && HasQueryName(r, "uploadId")), proxy.Count(r => r.IsPutObject), proxy.Count(r => r.IsAbort));

    public override IReadOnlyCollection<string> OpenUploads() => proxy.OpenUploads;

    public override int StoredArchiveCount()
    {
        string prefixDirectory = Path.Combine(fixture.Server.DataDirectory, S3rverServer.Bucket, _config.S3Prefix.TrimEnd('/'));
        return Directory.Exists(prefixDirectory) ? Directory.EnumerateFiles(prefixDirectory, "*._S3rver_object", SearchOption.AllDirectories).Count() : 0;
    }

    public override byte[] StoredBytes(string archiveId) => File.ReadAllBytes(S3TestData.StoredFile(fixture, archiveId));

    public override IReadOnlyList<int> PartNumbersHeld(MultipartTicket ticket) => proxy.PartsOf(ticket.UploadId).Select(p => p.PartNumber).ToArray();

    public override void AssertCompletedFrom(MultipartTicket ticket, string archiveId)
    {
        Assert.Equal(ticket.Target, archiveId); // the object key chosen when the upload began
        Assert.DoesNotContain(ticket.UploadId, proxy.OpenUploads);
    }

    public override void HoldPartRequest(int request) => proxy.Fault = NthPartRequest(request, once: true, async context =>
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(10), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client is gone (cancelled or killed): nothing to answer.
        }
    });

    public override void FailPartsFrom(int request) => proxy.Fault = NthPartRequest(request, once: false, async context =>
    {
        // Read the body first: a refusal mid-body looks like a dropped connection, which the SDK would retry.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        context.Response.StatusCode = 403;
        await context.Response.WriteAsync("<Error><Code>AccessDenied</Code><Message>injected</Message></Error>", context.RequestAborted);
    });

    public override void ClearFaults() => proxy.Fault = null;

    public override ValueTask DisposeAsync() => proxy.DisposeAsync();

    /// <summary>A fault answering the <paramref name="request"/>-th part request (and, unless <paramref name="once"/>, every later one) with <paramref name="answer"/>.</summary>
    private static Func<HttpContext, SeenRequest, Task<bool>> NthPartRequest(int request, bool once, Func<HttpContext, Task> answer)
    {
        int seen = 0;
        return async (context, r) =>
        {
            if (!r.IsUploadPart)
            {
                return false;
            }

            int nth = Interlocked.Increment(ref seen);
            if (nth < request || (once && nth > request))
            {
                return false;
            }

            await answer(context);
            return true;
        };
    }

    private static bool HasQueryName(SeenRequest r, string name) =>
        r.Query.Split('&', StringSplitOptions.RemoveEmptyEntries).Any(p => p.Split('=')[0] == name);
}
