using AutoGlacier.LocalGlacier;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Multipart;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Glacier in the shared multipart suites: a local Glacier server of its own, one vault, 1 MiB parts.</summary>
internal sealed class GlacierMultipartServer : MultipartServer
{
    private const string VaultName = "multipart";
    private readonly LocalGlacierFixture _glacier;

    private GlacierMultipartServer(LocalGlacierFixture glacier) => _glacier = glacier;

    public override int PartSize => 1 << 20;

    public override bool FindsCompletedArchives => false;

    public override int AttemptsPerFailingPart => GlacierTestSettings.For(_glacier).MaxAttempts;

    public override Type PartLimitError => typeof(PartLimitExceededException);

    public override string PartChecksumPattern => "^[0-9a-f]{64}$"; // the part's tree hash

    public static async Task<MultipartServer> StartAsync()
    {
        var server = new GlacierMultipartServer(await LocalGlacierFixture.StartAsync());

        // CREATE_VAULT makes the vault on the first upload; an upload disposed unwritten creates only the vault, which
        // the backend's own calls (and the configuration's vault) expect to exist.
        await using GlacierVault vault = (GlacierVault)server.CreateVault();
        await (await vault.BeginUploadAsync(new ArchiveUploadInfo("0", "create vault"), CancellationToken.None)).DisposeAsync();
        return server;
    }

    public override IMultipartVault CreateVault(int partSizeFactor = 1, int? concurrency = null, int? maxParts = null)
    {
        GlacierSettings settings = GlacierTestSettings.For(_glacier, vault: VaultName);
        return new GlacierVault(settings with
        {
            PartSizeMb = partSizeFactor,
            UploadConcurrency = concurrency ?? settings.UploadConcurrency,
            MaxParts = maxParts ?? settings.MaxParts,
        });
    }

    public override string WriteConfig(BackupWorld world) => GlacierVaultHarness.WriteGlacierConfig(world, _glacier, VaultName,
        $"\"PART_SIZE_MB\": 1, \"UPLOAD_CONCURRENCY\": 1, \"RSA_PASSPHRASE\": \"{BackupWorld.Passphrase}\"");

    public override RequestCounts Count()
    {
        LocalGlacierServer server = _glacier.Server;
        return new RequestCounts(server.RequestCount("UploadMultipartPart"), server.RequestCount("ListParts"),
            server.RequestCount("InitiateMultipartUpload"), server.RequestCount("CompleteMultipartUpload"),
            server.RequestCount("UploadArchive"), server.RequestCount("AbortMultipartUpload"));
    }

    public override IReadOnlyCollection<string> OpenUploads() =>
        GlacierVaultHarness.OpenUploads(_glacier, VaultName).Select(Path.GetFileName).ToArray()!;

    public override int StoredArchiveCount() => GlacierVaultHarness.StoredArchives(_glacier, VaultName).Count();

    public override byte[] StoredBytes(string archiveId) =>
        File.ReadAllBytes(Path.Combine(_glacier.DataDirectory, "vaults", VaultName, "archives", archiveId + ".data"));

    /// <summary>The server keeps each part as START.part in the upload's directory.</summary>
    public override IReadOnlyList<int> PartNumbersHeld(MultipartTicket ticket) =>
        Directory.EnumerateFiles(UploadDirectory(ticket.UploadId), "*.part")
            .Select(path => (int)(long.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture) / ticket.PartSize) + 1)
            .Order().ToArray();

    public override void AssertCompletedFrom(MultipartTicket ticket, string archiveId)
    {
        Assert.Equal(VaultName, ticket.Target); // a Glacier upload goes to the vault; the archive id comes with completion
        string completed = Path.Combine(UploadDirectory(ticket.UploadId), "completed.json");
        Assert.True(File.Exists(completed), $"upload {ticket.UploadId} was not the one completed");
        Assert.Contains(archiveId, File.ReadAllText(completed), StringComparison.Ordinal);
    }

    public override void HoldPartRequest(int request) =>
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", PartRequestsSoFar + request, FaultKind.Slow, Delay: TimeSpan.FromMinutes(10)));

    public override void FailPartsFrom(int request) =>
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", PartRequestsSoFar + request, FaultKind.ServiceUnavailable, Times: 100_000));

    public override void ClearFaults() => _glacier.Server.ClearFaults();

    public override ValueTask DisposeAsync() => _glacier.DisposeAsync();

    /// <summary>The server counts requests since it started; the suites count from when the fault is set.</summary>
    private int PartRequestsSoFar => _glacier.Server.RequestCount("UploadMultipartPart");

    private string UploadDirectory(string uploadId) => Path.Combine(_glacier.DataDirectory, "vaults", VaultName, "uploads", uploadId);
}
