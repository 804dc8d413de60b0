using System.Collections.Concurrent;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;
using Microsoft.AspNetCore.Http;
using static AutoGlacier.Tests.Vaults.S3.S3TestData;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>Faults injected by the restore layer on real HTTP: the upload retries and the stored bytes stay identical.</summary>
[Collection(S3Collection.Name)]
public sealed class S3FaultTests(S3Fixture fixture)
{
    [Theory]
    [InlineData(503, "SlowDown")]
    [InlineData(500, "InternalError")]
    public async Task Throttled_or_failed_parts_are_retried_with_the_same_bytes(int status, string code)
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        var failedOnce = new ConcurrentDictionary<string, bool>();
        proxy.Fault = async (context, seen) =>
        {
            if (!seen.IsUploadPart || !failedOnce.TryAdd(seen.Query, true)) { return false; }
            await DrainAsync(context);
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"<Error><Code>{code}</Code><Message>injected</Message></Error>");
            return true;
        };

        await AssertStoresIdenticalBytesAsync(proxy, expectedPartAttempts: 6); // 3 parts, each refused once
    }

    [Fact]
    public async Task A_connection_dropped_mid_part_is_retried_with_the_same_bytes()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        int dropped = 0;
        proxy.Fault = async (context, seen) =>
        {
            if (!seen.IsUploadPart || !seen.Query.Contains("partNumber=2&", StringComparison.Ordinal) && !seen.Query.EndsWith("partNumber=2", StringComparison.Ordinal)
                || Interlocked.Exchange(ref dropped, 1) == 1)
            {
                return false;
            }

            // Read part of the body, then cut the TCP connection with no answer.
            await context.Request.Body.ReadAtLeastAsync(new byte[64 * 1024], 64 * 1024, throwOnEndOfStream: false);
            context.Abort();
            return true;
        };

        await AssertStoresIdenticalBytesAsync(proxy, expectedPartAttempts: 4);
    }

    private async Task AssertStoresIdenticalBytesAsync(S3RestoreProxy proxy, int expectedPartAttempts)
    {
        var config = fixture.Config(S3StorageClasses.Standard, proxy.Endpoint);
        using S3Vault vault = Vault(config);
        byte[] data = RandomBytes(11 * MiB + 3, seed: 42);

        StoredArchive stored = await StoreAsync(vault, data);

        Assert.Equal(expectedPartAttempts, proxy.Count(r => r.IsUploadPart));
        AssertSameBytes(data, await File.ReadAllBytesAsync(StoredFile(fixture, stored.ArchiveId)));
        AssertSameBytes(data, await ReadAllAsync(vault, stored.ArchiveId));
    }

    private static async Task DrainAsync(HttpContext context)
    {
        var sink = new byte[64 * 1024];
        while (await context.Request.Body.ReadAsync(sink) > 0) { }
    }
}
