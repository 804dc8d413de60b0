using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using AutoGlacier.Hashing;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>The local server rejects what Glacier rejects, with Glacier's status codes and JSON error bodies.</summary>
public sealed class LocalGlacierValidationTests : IAsyncLifetime
{
    private const int MiB = 1 << 20;
    private LocalGlacierFixture _glacier = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        _http = new HttpClient(new SigV4SigningHandler(new BasicAWSCredentials(LocalGlacierFixture.AccessKey, LocalGlacierFixture.SecretKey),
            RegionEndpoint.USEast1, "glacier", new HttpClientHandler())) { BaseAddress = _glacier.Server.Endpoint };
        (await SendAsync(HttpMethod.Put, "/-/vaults/v")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _glacier.DisposeAsync();
    }

    [Fact]
    public async Task A_wrong_tree_hash_is_rejected_with_a_json_error()
    {
        byte[] body = new byte[1000];
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/-/vaults/v/archives", body, treeHash: new string('0', 64));
        await AssertErrorAsync(response, 400, "InvalidParameterValueException", "Checksum mismatch");
    }

    [Fact]
    public async Task A_missing_glacier_version_or_signature_is_rejected()
    {
        using HttpResponseMessage noVersion = await SendAsync(HttpMethod.Get, "/-/vaults/v", version: false);
        await AssertErrorAsync(noVersion, 400, "MissingParameterValueException", "x-amz-glacier-version");

        using var unsigned = new HttpClient { BaseAddress = _glacier.Server.Endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/-/vaults/v");
        request.Headers.Add("x-amz-glacier-version", "2012-06-01");
        using HttpResponseMessage response = await unsigned.SendAsync(request);
        await AssertErrorAsync(response, 403, "MissingAuthenticationTokenException", "Authorization");
    }

    [Fact]
    public async Task Multipart_rules_are_enforced()
    {
        using HttpResponseMessage badSize = await SendAsync(HttpMethod.Post, "/-/vaults/v/multipart-uploads", partSize: 3 * MiB);
        await AssertErrorAsync(badSize, 400, "InvalidParameterValueException", "power of two");

        using HttpResponseMessage initiated = await SendAsync(HttpMethod.Post, "/-/vaults/v/multipart-uploads", partSize: MiB);
        string upload = "/-/vaults/v/multipart-uploads/" + initiated.Headers.GetValues("x-amz-multipart-upload-id").Single();
        byte[] part = new byte[MiB];

        using HttpResponseMessage unaligned = await SendAsync(HttpMethod.Put, upload, part, range: (1000, 1000 + MiB - 1));
        await AssertErrorAsync(unaligned, 400, "InvalidParameterValueException", "part size");

        using HttpResponseMessage stored = await SendAsync(HttpMethod.Put, upload, part, range: (0, MiB - 1));
        Assert.Equal(204, (int)stored.StatusCode);

        string treeHash = Convert.ToHexStringLower(TreeHash.Compute(part));
        using HttpResponseMessage wrongSize = await SendAsync(HttpMethod.Post, upload, archiveSize: MiB + 1, treeHash: treeHash);
        await AssertErrorAsync(wrongSize, 400, "InvalidParameterValueException", "needs 2 parts");

        using HttpResponseMessage done = await SendAsync(HttpMethod.Post, upload, archiveSize: MiB, treeHash: treeHash);
        Assert.Equal(201, (int)done.StatusCode);
        Assert.Equal(treeHash, done.Headers.GetValues("x-amz-sha256-tree-hash").Single());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body = null, string? treeHash = null,
        bool version = true, long? partSize = null, (long Start, long End)? range = null, long? archiveSize = null)
    {
        var request = new HttpRequestMessage(method, path);
        byte[] bytes = body ?? [];
        request.Headers.Add("x-amz-content-sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Headers.Add("x-amz-sha256-tree-hash", treeHash ?? Convert.ToHexStringLower(TreeHash.Compute(body)));
            if (range is { } r)
            {
                request.Content.Headers.ContentRange = new ContentRangeHeaderValue(r.Start, r.End);
            }
        }
        else if (treeHash is not null)
        {
            request.Headers.Add("x-amz-sha256-tree-hash", treeHash);
        }

        if (version) { request.Headers.Add("x-amz-glacier-version", "2012-06-01"); }
        if (partSize is { } size) { request.Headers.Add("x-amz-part-size", size.ToString()); }
        if (archiveSize is { } archive) { request.Headers.Add("x-amz-archive-size", archive.ToString()); }
        return await _http.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string code, string messagePart)
    {
        Assert.Equal(status, (int)response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
        Assert.Contains(messagePart, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("Client", body.RootElement.GetProperty("type").GetString());
    }
}
