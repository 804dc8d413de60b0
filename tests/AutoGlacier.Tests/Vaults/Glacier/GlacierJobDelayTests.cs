using AutoGlacier.LocalGlacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Jobs that take time: retrieval reports pending with a token that is re-checked later; listing reports the pending inventory; slow answers time out and are retried.</summary>
public sealed class GlacierJobDelayTests : IAsyncLifetime
{
    private static readonly TimeSpan JobDelay = TimeSpan.FromSeconds(1.5);
    private LocalGlacierFixture _glacier = null!;

    public async Task InitializeAsync() => _glacier = await LocalGlacierFixture.StartAsync(JobDelay);

    public async Task DisposeAsync() => await _glacier.DisposeAsync();

    [Fact]
    public async Task A_pending_retrieval_returns_its_job_as_token_and_a_later_vault_reuses_it()
    {
        byte[] data = RandomBytes((2 * MiB) + 3, seed: 1);
        string archiveId;
        RetrievalState pending;
        using (var first = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "delay")))
        {
            archiveId = (await StoreAsync(first, data)).ArchiveId;
            pending = await first.RequestRetrievalAsync(archiveId, new RetrievalRequest(), CancellationToken.None);
        }

        Assert.False(pending.IsReady);
        Assert.Contains("in progress", pending.Message, StringComparison.Ordinal);
        Assert.NotNull(pending.Token);

        // A later run (a new vault object, as after a restart) passes the persisted token: no second job.
        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500)); // margin: timers and the server clock need not agree to the millisecond
        using var later = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "delay"));
        RetrievalState ready = await later.RequestRetrievalAsync(archiveId, new RetrievalRequest(ExistingToken: pending.Token), CancellationToken.None);

        Assert.True(ready.IsReady, ready.Message);
        Assert.Equal(pending.Token, ready.Token);
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateJob"));
        await using Stream stream = await later.OpenReadAsync(archiveId, MiB, CancellationToken.None);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(data[MiB..], copy.ToArray());
    }

    [Fact]
    public async Task Listing_while_the_inventory_job_runs_says_so_and_then_lists()
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "inventory"));
        StoredArchive stored = await StoreAsync(vault, RandomBytes(10, seed: 2), "inventoried");

        var pending = await Assert.ThrowsAsync<InventoryPendingException>(async () => await vault.ListAsync(CancellationToken.None).ToListAsync());
        Assert.Contains("inventory job", pending.Message, StringComparison.Ordinal);

        await Task.Delay(JobDelay + TimeSpan.FromMilliseconds(500)); // margin: timers and the server clock need not agree to the millisecond
        List<VaultArchive> listed = await vault.ListAsync(CancellationToken.None).ToListAsync();

        VaultArchive archive = Assert.Single(listed);
        Assert.Equal((stored.ArchiveId, "inventoried", "1700000000"), (archive.ArchiveId, archive.Description, archive.RunKey));
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateJob"));
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        using var vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: "slow") with { RequestTimeout = TimeSpan.FromSeconds(2) });
        // Generous timeout: a loaded CI machine may take a while over the first, cold request; only the faulted one must time out.
        _glacier.Server.AddFault(new FaultRule("UploadArchive", 1, FaultKind.Slow, Delay: TimeSpan.FromSeconds(10)));

        StoredArchive stored = await StoreAsync(vault, RandomBytes(100, seed: 3));

        Assert.Equal(2, _glacier.Server.RequestCount("UploadArchive"));
        Assert.Single(StoredArchives(_glacier, "slow"));
        Assert.False(string.IsNullOrEmpty(stored.ArchiveId));
    }
}
