using AutoGlacier.Tests.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>The shared unfinished-run suite against s3rver behind the restore layer (5 MiB parts).</summary>
[Collection(S3Collection.Name)]
public sealed class S3UnfinishedRunTests(S3Fixture fixture) : UnfinishedRunTests
{
    private protected override Task<MultipartServer> StartServerAsync() => S3MultipartServer.StartAsync(fixture);
}
