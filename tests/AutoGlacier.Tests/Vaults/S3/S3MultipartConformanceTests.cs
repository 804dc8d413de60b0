using AutoGlacier.Tests.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>The shared multipart suite against S3Vault on s3rver (5 MiB parts), with ListParts answered by the restore layer.</summary>
[Collection(S3Collection.Name)]
public sealed class S3MultipartConformanceTests(S3Fixture fixture) : MultipartConformanceTests
{
    private protected override Task<MultipartServer> StartServerAsync() => S3MultipartServer.StartAsync(fixture);
}

/// <summary>The same on a server without ListParts (s3rver's own 405): a resume sends every part again.</summary>
[Collection(S3Collection.Name)]
public sealed class S3WithoutListPartsMultipartConformanceTests(S3Fixture fixture) : MultipartConformanceTests
{
    private protected override Task<MultipartServer> StartServerAsync() => S3MultipartServer.StartAsync(fixture, listsParts: false);
}
