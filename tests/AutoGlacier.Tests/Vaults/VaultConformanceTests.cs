using AutoGlacier.Vaults;

namespace AutoGlacier.Tests.Vaults;

/// <summary>
/// The behaviour every <see cref="IVault"/> backend must have (modelled on restic's backend tests). A backend's test
/// class derives from this, supplies <see cref="CreateVaultAsync"/> and <see cref="UnknownArchiveId"/>, and
/// overrides the hooks that its storage needs (polling cold retrievals, eventually consistent listings, size caps).
/// </summary>
/// <remarks>
/// Tests never assume an empty vault: each uses its own run key, and every archive a test stores is deleted
/// afterwards, so a shared real vault (Glacier, S3) can run the suite.
/// </remarks>
public abstract class VaultConformanceTests : IAsyncLifetime
{
    protected const int MiB = 1 << 20;

    private readonly List<string> _storedIds = [];
    private readonly CancellationTokenSource _timeout = new();
    private IVault? _vault;

    /// <summary>The vault under test, created once per test.</summary>
    protected IVault Vault => _vault ?? throw new InvalidOperationException("The vault is created in InitializeAsync.");

    /// <summary>Cancelled when a test runs longer than <see cref="TestTimeout"/>, so a hung backend fails instead of hanging CI.</summary>
    protected CancellationToken Cancellation => _timeout.Token;

    /// <summary>Creates the vault under test (an empty one where that is cheap).</summary>
    protected abstract Task<IVault> CreateVaultAsync();

    /// <summary>An id that is well-formed for the backend but names no archive.</summary>
    protected abstract string UnknownArchiveId { get; }

    /// <summary>Archives larger than this are not stored by the size tests (slow or costly backends). Such cases pass without running.</summary>
    protected virtual long MaxTestArchiveSize => long.MaxValue;

    /// <summary>How many uploads the id-uniqueness test makes.</summary>
    protected virtual int UniqueIdUploadCount => 20;

    /// <summary>Longest a single test may run.</summary>
    protected virtual TimeSpan TestTimeout => TimeSpan.FromMinutes(2);

    /// <summary>How often hooks poll a backend that is not ready yet.</summary>
    protected virtual TimeSpan PollInterval => TimeSpan.FromSeconds(1);

    /// <summary>
    /// What every upload of the suite is begun with. The default uploads from memory (no spool); a backend's test
    /// may override it, e.g. to send every upload through a spool directory.
    /// </summary>
    protected virtual ArchiveUploadInfo UploadInfo(string runKey, string description) => new(runKey, description);

    /// <summary>
    /// For suites whose <see cref="UploadInfo"/> spools: an upload of <paramref name="length"/> bytes is in the spool
    /// under <paramref name="spoolDirectory"/> while written, gone once completed, and reads back whole.
    /// </summary>
    protected async Task AssertUploadGoesThroughSpoolAsync(string spoolDirectory, int length)
    {
        string runKey = NewRunKey();
        byte[] data = RandomBytes(length, seed: 100);
        string spool = AutoGlacier.Vaults.Multipart.ArchiveSpool.PathFor(spoolDirectory, runKey);
        StoredArchive stored;
        await using (IArchiveUpload upload = await Vault.BeginUploadAsync(UploadInfo(runKey, "spooled"), Cancellation))
        {
            await upload.Content.WriteAsync(data, Cancellation);
            Assert.Equal(data.Length, new FileInfo(spool).Length);
            stored = await upload.CompleteAsync(Cancellation);
        }

        Assert.False(File.Exists(spool));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId, 0));
        await Vault.DeleteAsync(stored.ArchiveId, Cancellation);
    }

    /// <summary>Releases the vault (and whatever the backend's test made for it) after each test.</summary>
    protected virtual async Task DisposeVaultAsync(IVault vault)
    {
        if (vault is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>
    /// Turns a retrieval request into a readable archive. The default re-requests with the returned token every
    /// <see cref="PollInterval"/> until ready; cold backends may override (e.g. to use a test tier or a fake clock).
    /// </summary>
    protected virtual async Task<RetrievalState> WaitUntilReadableAsync(IVault vault, string archiveId, RetrievalState state)
    {
        while (!state.IsReady)
        {
            await Task.Delay(PollInterval, Cancellation);
            state = await vault.RequestRetrievalAsync(archiveId, new RetrievalRequest(ExistingToken: state.Token), Cancellation);
        }

        return state;
    }

    /// <summary>
    /// Lists the vault until <paramref name="settled"/> holds or the test times out; a backend whose listing lags
    /// (an inventory) may override this to consult whatever it uses instead.
    /// </summary>
    protected virtual async Task<IReadOnlyList<VaultArchive>> ListUntilAsync(IVault vault, Func<IReadOnlyList<VaultArchive>, bool> settled)
    {
        while (true)
        {
            var archives = new List<VaultArchive>();
            await foreach (VaultArchive archive in vault.ListAsync(Cancellation))
            {
                archives.Add(archive);
            }

            if (settled(archives) || Cancellation.IsCancellationRequested)
            {
                return archives;
            }

            await Task.Delay(PollInterval, Cancellation);
        }
    }

    public async Task InitializeAsync()
    {
        _timeout.CancelAfter(TestTimeout);
        _vault = await CreateVaultAsync();
    }

    public async Task DisposeAsync()
    {
        if (_vault is not null)
        {
            foreach (string id in _storedIds)
            {
                try
                {
                    await _vault.DeleteAsync(id, CancellationToken.None);
                }
                catch (ArchiveNotFoundException)
                {
                    // The test deleted it itself.
                }
            }

            await DisposeVaultAsync(_vault);
        }

        _timeout.Dispose();
    }

    [Fact]
    public void Backend_names_itself_and_its_location()
    {
        Assert.Contains(Vault.BackendName, BackendRegistry.All.Select(backend => backend.Name));
        Assert.False(string.IsNullOrWhiteSpace(Vault.Location));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(MiB - 1)]
    [InlineData(MiB)]
    [InlineData(MiB + 1)]
    [InlineData(5 * MiB + 3)]
    public async Task Stored_archive_reads_back_byte_identical(int size)
    {
        if (size > MaxTestArchiveSize)
        {
            return;
        }

        byte[] data = RandomBytes(size, seed: size);
        StoredArchive stored = await StoreAsync(data);

        Assert.Equal(size, stored.Size);
        Assert.False(string.IsNullOrEmpty(stored.ArchiveId));
        Assert.False(string.IsNullOrEmpty(stored.Location));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId, offset: 0));
    }

    [Fact]
    public async Task Reading_from_an_offset_gives_the_rest_so_downloads_can_resume()
    {
        byte[] data = RandomBytes((int)Math.Min(MiB + 17, MaxTestArchiveSize), seed: 7);
        StoredArchive stored = await StoreAsync(data);

        foreach (int offset in new[] { 1, data.Length / 2, data.Length - 1, data.Length }.Distinct())
        {
            AssertSameBytes(data[offset..], await ReadAsync(stored.ArchiveId, offset));
        }
    }

    [Fact]
    public async Task Reading_from_outside_the_archive_is_rejected()
    {
        StoredArchive stored = await StoreAsync(RandomBytes(100, seed: 8));
        await WaitReadableAsync(stored.ArchiveId);

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Vault.OpenReadAsync(stored.ArchiveId, 101, Cancellation));
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => Vault.OpenReadAsync(stored.ArchiveId, -1, Cancellation));
    }

    [Fact]
    public async Task Listing_shows_stored_archives_with_size_run_key_and_description()
    {
        DateTimeOffset before = DateTimeOffset.UtcNow;
        string runKey = NewRunKey();
        StoredArchive plain = await StoreAsync(RandomBytes(10, seed: 1), runKey, "plain ascii");
        StoredArchive unicode = await StoreAsync(RandomBytes(MiB + 1, seed: 2), runKey, "Zürich 📦 backup");
        DateTimeOffset after = DateTimeOffset.UtcNow;

        var listed = (await ListUntilAsync(Vault, all => all.Count(a => a.RunKey == runKey) == 2))
            .Where(a => a.RunKey == runKey).ToDictionary(a => a.ArchiveId);

        Assert.Equal(2, listed.Count);
        AssertListed(listed[plain.ArchiveId], 10, runKey, "plain ascii", before, after);
        AssertListed(listed[unicode.ArchiveId], MiB + 1, runKey, "Zürich 📦 backup", before, after);
    }

    [Fact]
    public async Task Listing_with_an_already_cancelled_token_throws_and_lists_nothing()
    {
        await StoreListedAsync(3);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var seen = new List<VaultArchive>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (VaultArchive archive in Vault.ListAsync(cancelled.Token))
            {
                seen.Add(archive);
            }
        });

        Assert.Empty(seen);
    }

    [Fact]
    public async Task Listing_cancelled_at_the_first_archive_throws_before_the_next()
    {
        // As restic's TestListCancel: a listing stops at the next archive, not at the end of a page or an inventory.
        await StoreListedAsync(3);
        using var cancel = new CancellationTokenSource();
        var seen = new List<VaultArchive>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (VaultArchive archive in Vault.ListAsync(cancel.Token))
            {
                seen.Add(archive);
                await cancel.CancelAsync();
            }
        });

        Assert.Single(seen);
    }

    [Fact]
    public async Task Ids_are_unique_across_many_uploads()
    {
        var ids = new List<string>();
        for (int i = 0; i < UniqueIdUploadCount; i++)
        {
            ids.Add((await StoreAsync([(byte)i])).ArchiveId);
        }

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Disposing_an_upload_without_completing_leaves_nothing()
    {
        string runKey = NewRunKey();
        await using (IArchiveUpload upload = await Vault.BeginUploadAsync(UploadInfo(runKey, "aborted"), Cancellation))
        {
            await upload.Content.WriteAsync(RandomBytes(MiB + 5, seed: 9), Cancellation);
        }

        StoredArchive witness = await StoreAsync(RandomBytes(3, seed: 10), runKey, "witness");
        var listed = await ListUntilAsync(Vault, all => all.Any(a => a.ArchiveId == witness.ArchiveId));

        Assert.Equal([witness.ArchiveId], listed.Where(a => a.RunKey == runKey).Select(a => a.ArchiveId));
    }

    [Fact]
    public async Task Many_small_writes_and_one_large_write_store_the_same_bytes()
    {
        byte[] data = RandomBytes((int)Math.Min(MiB + 12345, MaxTestArchiveSize), seed: 11);

        // Small writes go through WriteAsync, the large one through sync Write: pipeline stages use both.
        StoredArchive small = await StoreAsync(data, chunkSizes: [1, 7, 13, 4096, 4097, 65536 + 3]);
        StoredArchive large = await StoreAsync(data);

        Assert.Equal(data.Length, small.Size);
        Assert.Equal(data.Length, large.Size);
        AssertSameBytes(data, await ReadAsync(small.ArchiveId, 0));
        AssertSameBytes(data, await ReadAsync(large.ArchiveId, 0));
    }

    [Fact]
    public async Task Deleted_archive_is_gone()
    {
        StoredArchive stored = await StoreAsync(RandomBytes(1000, seed: 12));
        string id = stored.ArchiveId;
        await Vault.DeleteAsync(id, Cancellation);

        var listed = await ListUntilAsync(Vault, all => all.All(a => a.ArchiveId != id));
        Assert.DoesNotContain(listed, a => a.ArchiveId == id);
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => Vault.OpenReadAsync(id, 0, Cancellation));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => Vault.RequestRetrievalAsync(id, new RetrievalRequest(), Cancellation));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => Vault.DeleteAsync(id, Cancellation));
    }

    [Fact]
    public async Task Deleting_an_unknown_id_throws_not_found()
    {
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => Vault.DeleteAsync(UnknownArchiveId, Cancellation));
    }

    [Fact]
    public async Task Opening_or_retrieving_an_unknown_id_throws_not_found()
    {
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => Vault.OpenReadAsync(UnknownArchiveId, 0, Cancellation));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => Vault.RequestRetrievalAsync(UnknownArchiveId, new RetrievalRequest(), Cancellation));
    }

    [Fact]
    public async Task Retrieval_of_a_stored_archive_eventually_becomes_ready()
    {
        byte[] data = RandomBytes(4321, seed: 13);
        StoredArchive stored = await StoreAsync(data);

        RetrievalState state = await WaitReadableAsync(stored.ArchiveId);

        Assert.True(state.IsReady);
        Assert.False(string.IsNullOrWhiteSpace(state.Message));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId, 0));
    }

    [Fact]
    public async Task Concurrent_uploads_to_one_vault_both_succeed()
    {
        byte[] first = RandomBytes(MiB + 1, seed: 14);
        byte[] second = RandomBytes(MiB + 2, seed: 15);
        await using IArchiveUpload a = await Vault.BeginUploadAsync(UploadInfo(NewRunKey(), "concurrent a"), Cancellation);
        await using IArchiveUpload b = await Vault.BeginUploadAsync(UploadInfo(NewRunKey(), "concurrent b"), Cancellation);

        // Interleave the writes, then complete both at the same time.
        for (int offset = 0; offset < first.Length; offset += 100_000)
        {
            int count = Math.Min(100_000, first.Length - offset);
            await a.Content.WriteAsync(first.AsMemory(offset, count), Cancellation);
            await b.Content.WriteAsync(second.AsMemory(offset, count), Cancellation);
        }

        await b.Content.WriteAsync(second.AsMemory(first.Length), Cancellation);
        StoredArchive[] stored = await Task.WhenAll(a.CompleteAsync(Cancellation), b.CompleteAsync(Cancellation));
        _storedIds.AddRange(stored.Select(s => s.ArchiveId));

        Assert.NotEqual(stored[0].ArchiveId, stored[1].ArchiveId);
        AssertSameBytes(first, await ReadAsync(stored[0].ArchiveId, 0));
        AssertSameBytes(second, await ReadAsync(stored[1].ArchiveId, 0));
    }

    [Fact]
    public async Task A_runs_catalog_is_stored_beside_its_archive_listed_as_a_catalog_read_back_and_deleted_alone()
    {
        string runKey = NewRunKey();
        byte[] archiveBytes = RandomBytes(2000, seed: 16);
        byte[] catalogBytes = RandomBytes(3000, seed: 17);
        StoredArchive archive = await StoreAsync(archiveBytes, runKey, "snapshot run");
        StoredArchive catalog = await StoreAsync(catalogBytes, runKey, "snapshot run", kind: VaultObjectKind.Catalog);

        var listed = (await ListUntilAsync(Vault, all => all.Count(a => a.RunKey == runKey) == 2))
            .Where(a => a.RunKey == runKey).ToDictionary(a => a.ArchiveId);
        Assert.Equal(2, listed.Count);
        Assert.Equal(VaultObjectKind.Archive, listed[archive.ArchiveId].Kind);
        Assert.Equal(VaultObjectKind.Catalog, listed[catalog.ArchiveId].Kind);
        Assert.Equal(catalogBytes.Length, listed[catalog.ArchiveId].Size);
        Assert.Equal("snapshot run", listed[catalog.ArchiveId].Description);
        AssertSameBytes(catalogBytes, await ReadAsync(catalog.ArchiveId, 0));

        await Vault.DeleteAsync(catalog.ArchiveId, Cancellation);
        var after = await ListUntilAsync(Vault, all => all.All(a => a.ArchiveId != catalog.ArchiveId));
        Assert.DoesNotContain(after, a => a.ArchiveId == catalog.ArchiveId);
        Assert.Contains(after, a => a.ArchiveId == archive.ArchiveId && a.Kind == VaultObjectKind.Archive);
        AssertSameBytes(archiveBytes, await ReadAsync(archive.ArchiveId, 0));
    }

    /// <summary>Stores <paramref name="data"/> in one sync write, or in async writes cycling through <paramref name="chunkSizes"/>.</summary>
    protected async Task<StoredArchive> StoreAsync(byte[] data, string? runKey = null, string description = "conformance test", int[]? chunkSizes = null,
        VaultObjectKind kind = VaultObjectKind.Archive)
    {
        await using IArchiveUpload upload = await Vault.BeginUploadAsync(UploadInfo(runKey ?? NewRunKey(), description) with { Kind = kind }, Cancellation);
        if (chunkSizes is null)
        {
            upload.Content.Write(data);
        }
        else
        {
            for (int offset = 0, i = 0; offset < data.Length; i++)
            {
                int count = Math.Min(chunkSizes[i % chunkSizes.Length], data.Length - offset);
                await upload.Content.WriteAsync(data.AsMemory(offset, count), Cancellation);
                offset += count;
            }
        }

        StoredArchive stored = await upload.CompleteAsync(Cancellation);
        _storedIds.Add(stored.ArchiveId);
        return stored;
    }

    /// <summary>Stores <paramref name="count"/> small archives under one run key and waits until the listing shows them all.</summary>
    private async Task StoreListedAsync(int count)
    {
        string runKey = NewRunKey();
        for (int i = 0; i < count; i++)
        {
            await StoreAsync([(byte)i], runKey, $"listed {i}");
        }

        await ListUntilAsync(Vault, all => all.Count(a => a.RunKey == runKey) == count);
    }

    /// <summary>Requests retrieval, waits through the hook, and reads from <paramref name="offset"/> to the end.</summary>
    protected async Task<byte[]> ReadAsync(string archiveId, long offset)
    {
        await WaitReadableAsync(archiveId);
        await using Stream stream = await Vault.OpenReadAsync(archiveId, offset, Cancellation);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Cancellation);
        return copy.ToArray();
    }

    protected async Task<RetrievalState> WaitReadableAsync(string archiveId)
    {
        RetrievalState state = await Vault.RequestRetrievalAsync(archiveId, new RetrievalRequest(), Cancellation);
        return await WaitUntilReadableAsync(Vault, archiveId, state);
    }

    /// <summary>A run key no other test uses (digits only, like the unix timestamps real runs use).</summary>
    protected static string NewRunKey() =>
        $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}{Random.Shared.Next(100_000, 999_999)}";

    protected static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Compares without dumping megabytes into the failure message.</summary>
    protected static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int mismatch = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(mismatch == expected.Length, $"bytes differ from offset {mismatch}");
    }

    private static void AssertListed(VaultArchive archive, long size, string runKey, string description, DateTimeOffset before, DateTimeOffset after)
    {
        Assert.Equal(size, archive.Size);
        Assert.Equal(runKey, archive.RunKey);
        Assert.Equal(description, archive.Description);

        // Generous slack: a remote backend's clock need not agree with ours.
        Assert.InRange(archive.CreatedAt, before.AddMinutes(-5), after.AddMinutes(5));
    }
}
