using AutoGlacier.LocalGlacier;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Multipart;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// Edges of the spooled upload found in review: cancelling while the tail of a sealed archive uploads leaves it
/// resumable (never completed short), and an archive too large for the part limit fails while it is written.
/// </summary>
public sealed class SpooledUploadEdgeTests : IAsyncLifetime
{
    private const string VaultName = "spooled-edges";
    private readonly TempDir _dir = new();
    private LocalGlacierFixture _glacier = null!;

    private string SpoolDirectory => _dir.Combine("spool");

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        using var vault = Vault();
        await GlacierVaultHarness.StoreAsync(vault, [1]); // creates the vault
    }

    public async Task DisposeAsync()
    {
        await _glacier.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Cancelling_after_sealing_stops_the_remaining_parts_and_keeps_the_run_resumable()
    {
        using GlacierVault vault = Vault();
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 2, FaultKind.Slow, Delay: TimeSpan.FromMinutes(10)));
        var info = new ArchiveUploadInfo(NewRunKey(), "cancelled") { SpoolDirectory = SpoolDirectory };
        byte[] data = RandomBytes((4 * MiB) + 5, seed: 11);
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);

        await using (IArchiveUpload upload = await vault.BeginUploadAsync(info, CancellationToken.None))
        {
            await upload.Content.WriteAsync(data);
            using var cancel = new CancellationTokenSource();
            Task<StoredArchive> completing = upload.CompleteAsync(cancel.Token);
            while (_glacier.Server.RequestCount("UploadMultipartPart") < 2)
            {
                await Task.Delay(20); // part 2 is now held by the server
            }

            await cancel.CancelAsync();
            var ex = await Assert.ThrowsAsync<UploadInterruptedException>(() => completing.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains(spool, ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, _glacier.Server.RequestCount("CompleteMultipartUpload"));
        Assert.True(File.Exists(spool), "a sealed spool is kept for the resume");
        Assert.Equal(data, File.ReadAllBytes(spool));
    }

    [Fact]
    public async Task An_archive_outgrowing_the_part_limit_fails_while_written_and_leaves_nothing()
    {
        using GlacierVault vault = Vault(maxParts: 2);
        var info = new ArchiveUploadInfo(NewRunKey(), "too big") { SpoolDirectory = SpoolDirectory };

        await using (IArchiveUpload upload = await vault.BeginUploadAsync(info, CancellationToken.None))
        {
            var ex = await Assert.ThrowsAsync<PartLimitExceededException>(async () =>
            {
                for (int i = 0; i < 4; i++)
                {
                    await upload.Content.WriteAsync(RandomBytes(MiB, seed: i));
                }
            });
            Assert.Contains("PART_SIZE_MB", ex.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFiles(SpoolDirectory));
        Assert.Empty(GlacierVaultHarness.OpenUploads(_glacier, VaultName));
    }

    private GlacierVault Vault(int maxParts = GlacierSettings.GlacierMaxParts) =>
        new(GlacierTestSettings.For(_glacier, vault: VaultName) with { MaxParts = maxParts, UploadConcurrency = 1 });
}
