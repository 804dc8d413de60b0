using AutoGlacier.Tests.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>The shared unfinished-run suite against a local Glacier server (1 MiB parts).</summary>
public sealed class GlacierUnfinishedRunTests : UnfinishedRunTests
{
    private protected override Task<MultipartServer> StartServerAsync() => GlacierMultipartServer.StartAsync();
}
