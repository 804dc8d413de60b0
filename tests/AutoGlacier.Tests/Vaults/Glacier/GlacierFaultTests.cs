using AutoGlacier.Encryption;
using AutoGlacier.LocalGlacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Injected faults are retried and nothing is lost; non-retryable errors fail at once with an actionable message.</summary>
public sealed class GlacierFaultTests : IAsyncLifetime
{
    private LocalGlacierFixture _glacier = null!;
    private GlacierVault _vault = null!;

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        _vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "faults"));
    }

    public async Task DisposeAsync()
    {
        await _vault.DisposeAsync();
        await _glacier.DisposeAsync();
    }

    [Fact]
    public async Task Throttling_and_5xx_on_parts_and_complete_are_retried_and_the_bytes_are_identical()
    {
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 2, FaultKind.Throttling, Times: 2));
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 5, FaultKind.ServiceUnavailable));
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 6, FaultKind.Status503));
        _glacier.Server.AddFault(new FaultRule("CompleteMultipartUpload", 1, FaultKind.Throttling));
        _glacier.Server.AddFault(new FaultRule("CompleteMultipartUpload", 2, FaultKind.ServiceUnavailable));
        _glacier.Server.AddFault(new FaultRule("CompleteMultipartUpload", 3, FaultKind.RequestTimeout));
        byte[] data = RandomBytes((4 * MiB) + 99, seed: 1);

        StoredArchive stored = await StoreAsync(_vault, data);

        Assert.Equal(data, await ReadAsync(_vault, stored.ArchiveId));
        Assert.Equal(5 + 4, _glacier.Server.RequestCount("UploadMultipartPart"));
        Assert.Equal(4, _glacier.Server.RequestCount("CompleteMultipartUpload"));
        Assert.Single(StoredArchives(_glacier, "faults"));
    }

    [Fact]
    public async Task A_connection_dropped_mid_part_is_retried_and_the_bytes_are_identical()
    {
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 2, FaultKind.DropConnection));
        _glacier.Server.AddFault(new FaultRule("UploadArchive", 1, FaultKind.DropConnection));
        byte[] data = RandomBytes((3 * MiB) + 5, seed: 2);
        byte[] small = RandomBytes(1000, seed: 3);

        StoredArchive stored = await StoreAsync(_vault, data);
        StoredArchive single = await StoreAsync(_vault, small);

        Assert.Equal(data, await ReadAsync(_vault, stored.ArchiveId));
        Assert.Equal(small, await ReadAsync(_vault, single.ArchiveId));
        Assert.Equal(4 + 1, _glacier.Server.RequestCount("UploadMultipartPart"));
    }

    [Fact]
    public async Task A_download_dropped_mid_range_resumes_and_is_identical()
    {
        byte[] data = RandomBytes((3 * MiB) + 7, seed: 4);
        StoredArchive stored = await StoreAsync(_vault, data);
        _glacier.Server.AddFault(new FaultRule("GetJobOutput", 2, FaultKind.DropConnection));
        _glacier.Server.AddFault(new FaultRule("GetJobOutput", 4, FaultKind.ServiceUnavailable));

        Assert.Equal(data, await ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_corrupted_download_fails_the_tree_hash_check()
    {
        byte[] data = RandomBytes(100_000, seed: 5);
        StoredArchive stored = await StoreAsync(_vault, data);
        string file = Assert.Single(StoredArchives(_glacier, "faults"));
        byte[] onDisk = File.ReadAllBytes(file);
        onDisk[50_000] ^= 1;
        File.WriteAllBytes(file, onDisk);

        var error = await Assert.ThrowsAsync<ArchiveIntegrityException>(() => ReadAsync(_vault, stored.ArchiveId));
        Assert.Contains("tree hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_over_the_part_limit_is_refused_naming_the_fix_and_nothing_is_left()
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "faults") with { MaxParts = 3 });

        var error = await Assert.ThrowsAsync<PartLimitExceededException>(() => StoreAsync(vault, RandomBytes((3 * MiB) + 1, seed: 6)));

        Assert.Contains("PART_SIZE_MB=1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Set PART_SIZE_MB to 4", error.Message, StringComparison.Ordinal);
        // Refused as soon as a 4th part's first byte arrives, before that part is sent (earlier parts may be cancelled).
        Assert.InRange(_glacier.Server.RequestCount("UploadMultipartPart"), 0, 3);
        Assert.Empty(OpenUploads(_glacier, "faults"));
        Assert.Empty(StoredArchives(_glacier, "faults"));
    }

    [Fact]
    public async Task The_server_refuses_a_part_beyond_ten_thousand()
    {
        var client = new GlacierClient(GlacierTestSettings.For(_glacier, vault: "faults"));
        using (client)
        {
            await client.CreateVaultAsync(CancellationToken.None);
            string uploadId = await client.InitiateMultipartUploadAsync(MiB, "x", CancellationToken.None);
            byte[] part = RandomBytes(MiB, seed: 7);

            var error = await Assert.ThrowsAsync<GlacierServiceException>(() => client.UploadPartAsync(uploadId, 10_000L * MiB, part,
                PartHashes.Compute(part), new GlacierCall("UploadMultipartPart", "part 10001"), CancellationToken.None));

            Assert.Equal("InvalidParameterValueException", error.ErrorCode);
            Assert.Contains("10000 parts", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_vault_is_a_clear_error_unless_create_vault_is_set()
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "absent") with { CreateVault = false });

        var error = await Assert.ThrowsAsync<GlacierServiceException>(() => vault.BeginUploadAsync(new ArchiveUploadInfo("1", "d"), CancellationToken.None));

        Assert.Contains("'absent' does not exist in region us-east-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE_VAULT", error.Message, StringComparison.Ordinal);
    }
}
