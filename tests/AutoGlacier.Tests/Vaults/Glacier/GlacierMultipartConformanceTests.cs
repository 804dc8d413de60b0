using AutoGlacier.Tests.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>The shared multipart suite against GlacierVault and a local Glacier server (1 MiB parts).</summary>
public sealed class GlacierMultipartConformanceTests : MultipartConformanceTests
{
    private protected override Task<MultipartServer> StartServerAsync() => GlacierMultipartServer.StartAsync();
}
