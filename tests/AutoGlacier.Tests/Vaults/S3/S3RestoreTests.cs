using AutoGlacier.Vaults;
using AutoGlacier.Vaults.S3;
using static AutoGlacier.Tests.Vaults.S3.S3TestData;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>The restore state machine for GLACIER / DEEP_ARCHIVE objects, against the restore layer over s3rver.</summary>
[Collection(S3Collection.Name)]
public sealed class S3RestoreTests(S3Fixture fixture)
{
    [Fact]
    public async Task Reading_an_archived_object_before_its_restore_gives_a_clear_message()
    {
        var config = fixture.Config(S3StorageClasses.DeepArchive);
        using S3Vault vault = Vault(config);
        StoredArchive stored = await StoreAsync(vault, RandomBytes(2000, seed: 1));

        var error = await Assert.ThrowsAsync<AutoGlacierException>(() => vault.OpenReadAsync(stored.ArchiveId, 0, CancellationToken.None));

        Assert.Contains($"s3://{S3rverServer.Bucket}/{stored.ArchiveId} is in DEEP_ARCHIVE and not restored yet", error.Message);
        Assert.Contains("Run restore again after", error.Message);
    }

    [Fact]
    public async Task Restore_is_requested_with_tier_and_days_reported_pending_then_ready()
    {
        await using S3RestoreProxy proxy = await fixture.StartProxyAsync();
        proxy.RestoreDelay = TimeSpan.FromSeconds(1);
        var config = fixture.Config(S3StorageClasses.Glacier, proxy.Endpoint) with { RetrievalTier = "Bulk", RestoreDays = 3 };
        using S3Vault vault = Vault(config);
        byte[] data = RandomBytes(3 * 1000, seed: 2);
        StoredArchive stored = await StoreAsync(vault, data);
        string path = $"/{S3rverServer.Bucket}/{stored.ArchiveId}";

        RetrievalState requested = await vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(), CancellationToken.None);
        RetrievalState pending = await vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(ExistingToken: requested.Token), CancellationToken.None);
        var midRestore = await Assert.ThrowsAsync<AutoGlacierException>(() => vault.OpenReadAsync(stored.ArchiveId, 0, CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        RetrievalState ready = await vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(ExistingToken: requested.Token), CancellationToken.None);

        Assert.False(requested.IsReady);
        Assert.NotNull(requested.Token);
        Assert.Contains("Bulk tier, 3 days", requested.Message);
        Assert.False(pending.IsReady);
        Assert.Contains("in progress", pending.Message);
        Assert.Contains("its restore is still in progress", midRestore.Message);
        Assert.True(ready.IsReady, ready.Message);
        Assert.Equal(("Bulk", "3"), proxy.Restores[path]);
        Assert.Equal(1, proxy.Count(r => r.IsRestore)); // re-checking never asks twice
        AssertSameBytes(data, await ReadAllAsync(vault, stored.ArchiveId));
        AssertSameBytes(data[1234..], await ReadAllAsync(vault, stored.ArchiveId, 1234));
    }

    [Fact]
    public async Task Expedited_is_refused_for_deep_archive_before_anything_is_requested()
    {
        var config = fixture.Config(S3StorageClasses.DeepArchive);
        using S3Vault vault = Vault(config);
        StoredArchive stored = await StoreAsync(vault, RandomBytes(10, seed: 3));

        var error = await Assert.ThrowsAsync<AutoGlacierException>(() =>
            vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(Tier: "Expedited"), CancellationToken.None));

        Assert.Contains("DEEP_ARCHIVE, which has no Expedited restore tier", error.Message);
        Assert.False(fixture.Proxy.Restores.ContainsKey($"/{S3rverServer.Bucket}/{stored.ArchiveId}"));
    }

    [Fact]
    public async Task Expedited_is_accepted_for_glacier_and_request_days_override_the_configured_days()
    {
        var config = fixture.Config(S3StorageClasses.Glacier);
        using S3Vault vault = Vault(config);
        StoredArchive stored = await StoreAsync(vault, RandomBytes(10, seed: 4));

        await vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(Tier: "expedited", Days: 30), CancellationToken.None);

        Assert.Equal(("Expedited", "30"), fixture.Proxy.Restores[$"/{S3rverServer.Bucket}/{stored.ArchiveId}"]);
    }

    [Theory]
    [InlineData(S3StorageClasses.StandardInfrequentAccess)]
    [InlineData(S3StorageClasses.Standard)]
    public async Task Instant_access_classes_are_ready_at_once_without_a_restore(string storageClass)
    {
        var config = fixture.Config(storageClass);
        using S3Vault vault = Vault(config);
        byte[] data = RandomBytes(100, seed: 5);
        StoredArchive stored = await StoreAsync(vault, data);

        RetrievalState state = await vault.RequestRetrievalAsync(stored.ArchiveId, new RetrievalRequest(), CancellationToken.None);

        Assert.True(state.IsReady);
        Assert.Contains(storageClass, state.Message);
        Assert.Equal(0, fixture.Proxy.Count(r => r.IsRestore && r.ObjectPath.EndsWith(stored.ArchiveId, StringComparison.Ordinal)));
        AssertSameBytes(data, await ReadAllAsync(vault, stored.ArchiveId));
    }

    [Theory]
    [InlineData("GLACIER_IR", false, null, true)]   // s3rver refuses GLACIER_IR uploads, so this class is checked here
    [InlineData("STANDARD", false, null, true)]
    [InlineData("DEEP_ARCHIVE", false, null, false)]
    [InlineData("DEEP_ARCHIVE", true, null, false)]
    [InlineData("GLACIER", false, "2030-01-01", true)]
    public void Readability_follows_storage_class_and_x_amz_restore(string storageClass, bool inProgress, string? restoredUntil, bool readable)
    {
        DateTime? until = restoredUntil is null ? null : DateTime.Parse(restoredUntil, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(readable, new S3RestoreStatus(storageClass, inProgress, until).IsReadable);
    }
}
