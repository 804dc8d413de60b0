using AutoGlacier.Tests.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>The shared killed-backup suite against s3rver behind the restore layer (5 MiB parts), which answers ListParts.</summary>
[Collection(S3Collection.Name)]
public sealed class S3KilledBackupTests(S3Fixture fixture) : KilledBackupTests
{
    private protected override Task<MultipartServer> StartServerAsync() => S3MultipartServer.StartAsync(fixture);
}

/// <summary>The same with one part per ListParts page: the backend follows NextPartNumberMarker.</summary>
[Collection(S3Collection.Name)]
public sealed class S3PagedListPartsKilledBackupTests(S3Fixture fixture) : KilledBackupTests
{
    private protected override Task<MultipartServer> StartServerAsync() => S3MultipartServer.StartAsync(fixture, listPartsPageSize: 1);
}

/// <summary>The same without ListParts (s3rver's own 405): the resume sends every part again.</summary>
[Collection(S3Collection.Name)]
public sealed class S3WithoutListPartsKilledBackupTests(S3Fixture fixture) : KilledBackupTests
{
    private protected override Task<MultipartServer> StartServerAsync() => S3MultipartServer.StartAsync(fixture, listsParts: false);
}
