using AutoGlacier.Tests.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>The shared killed-backup suite against a local Glacier server (1 MiB parts).</summary>
public sealed class GlacierKilledBackupTests : KilledBackupTests
{
    private protected override Task<MultipartServer> StartServerAsync() => GlacierMultipartServer.StartAsync();
}
