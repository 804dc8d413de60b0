using System.Security.Cryptography;
using System.Text.Json;
using AutoGlacier.Hashing;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;

namespace AutoGlacier.Tests.Vaults.Local;

/// <summary>What only the local backend promises: its layout, temp-file hygiene and id checking.</summary>
public sealed class LocalVaultTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempVaultDirectory _directory = new();
    private readonly LocalVault _vault;

    public LocalVaultTests() => _vault = new LocalVault(_directory.VaultPath);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Opening_creates_the_directory_and_reports_its_full_path()
    {
        Assert.True(Directory.Exists(_directory.ArchivesPath));
        Assert.Equal(Path.GetFullPath(_directory.VaultPath), _vault.Location);
        Assert.Equal("local", _vault.BackendName);
    }

    [Fact]
    public async Task Layout_is_data_plus_json_metadata_with_hashes()
    {
        byte[] data = RandomNumberGenerator.GetBytes(TreeHash.LeafSize + 3);
        StoredArchive stored = await StoreAsync(data, "1767225600", "Zürich 📦 backup");

        string dataPath = Path.Combine(_directory.ArchivesPath, stored.ArchiveId + ".agc");
        Assert.Equal(dataPath, stored.Location);
        Assert.Equal(data, await File.ReadAllBytesAsync(dataPath));
        Assert.Equal(
            [stored.ArchiveId + ".agc", stored.ArchiveId + ".json"],
            Directory.EnumerateFiles(_directory.ArchivesPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using JsonDocument json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.ChangeExtension(dataPath, ".json")));
        JsonElement root = json.RootElement;
        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        Assert.Equal(stored.ArchiveId, root.GetProperty("archiveId").GetString());
        Assert.Equal("1767225600", root.GetProperty("runKey").GetString());
        Assert.Equal("Zürich 📦 backup", root.GetProperty("description").GetString());
        Assert.Equal(data.Length, root.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), root.GetProperty("sha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(TreeHash.Compute(data)), root.GetProperty("treeHash").GetString());
    }

    [Fact]
    public async Task Upload_in_progress_is_a_hidden_temp_file_that_abort_removes()
    {
        IArchiveUpload upload = await _vault.BeginUploadAsync(new ArchiveUploadInfo("1", "in progress"), None);
        await upload.Content.WriteAsync(new byte[1000], None);

        string temp = Assert.Single(Directory.EnumerateFiles(_directory.ArchivesPath));
        Assert.StartsWith(".tmp-", Path.GetFileName(temp));
        Assert.Empty(await ListAsync());

        await upload.DisposeAsync();
        Assert.Empty(Directory.EnumerateFiles(_directory.ArchivesPath));
    }

    [Fact]
    public async Task Leftovers_of_a_crash_are_invisible()
    {
        const string id = "20260101T000000000Z-00000000000000aa";
        const string orphanId = "20260101T000000000Z-00000000000000bb";
        await File.WriteAllBytesAsync(Path.Combine(_directory.ArchivesPath, $".tmp-{id}-0000.agc"), new byte[10]);
        await File.WriteAllTextAsync(Path.Combine(_directory.ArchivesPath, $".tmp-{id}-0001.json"), "{");
        await File.WriteAllTextAsync(Path.Combine(_directory.ArchivesPath, $"{orphanId}.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(_directory.ArchivesPath, "notes.txt"), "not an archive");

        var reopened = new LocalVault(_directory.VaultPath);

        Assert.Empty(await ListAsync(reopened));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => reopened.OpenReadAsync(id, 0, None));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => reopened.OpenReadAsync(orphanId, 0, None));
    }

    [Fact]
    public async Task Stale_temp_files_are_removed_but_live_uploads_and_archives_are_kept()
    {
        StoredArchive stored = await StoreAsync([1], "1", "kept");
        string stale = Path.Combine(_directory.ArchivesPath, ".tmp-20260101T000000000Z-00000000000000aa-0000.agc");
        await File.WriteAllBytesAsync(stale, new byte[10]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-2));
        await using IArchiveUpload live = await _vault.BeginUploadAsync(new ArchiveUploadInfo("2", "live"), None);
        await live.Content.WriteAsync(new byte[5], None);

        Assert.Equal(1, _vault.RemoveStaleTempFiles(TimeSpan.FromDays(1)));

        Assert.False(File.Exists(stale));
        Assert.Equal(5, (await live.CompleteAsync(None)).Size);
        Assert.Equal(2, (await ListAsync()).Count);
        Assert.Contains(await ListAsync(), a => a.ArchiveId == stored.ArchiveId);
    }

    [Fact]
    public async Task Archive_with_lost_metadata_is_still_listed_from_the_file()
    {
        StoredArchive stored = await StoreAsync([1, 2, 3], "7", "x");
        File.Delete(Path.Combine(_directory.ArchivesPath, stored.ArchiveId + ".json"));

        VaultArchive listed = Assert.Single(await ListAsync());
        Assert.Equal((stored.ArchiveId, 3L, (string?)null), (listed.ArchiveId, listed.Size, listed.RunKey));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("C:x")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("x\0y")]
    [InlineData(".tmp-x")]
    public async Task Hostile_ids_are_rejected_before_touching_the_file_system(string id)
    {
        string bait = Path.Combine(_directory.Parent, "x.agc");
        await File.WriteAllBytesAsync(bait, [42]);

        var open = await Assert.ThrowsAnyAsync<ArgumentException>(() => _vault.OpenReadAsync(id, 0, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _vault.DeleteAsync(id, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _vault.RequestRetrievalAsync(id, new RetrievalRequest(), None));

        Assert.True(File.Exists(bait));
        Assert.DoesNotContain('\0', open.Message);
    }

    [Fact]
    public async Task Not_found_message_names_the_id_and_the_directory()
    {
        const string id = "20260101T000000000Z-0123456789abcdef";
        var error = await Assert.ThrowsAsync<ArchiveNotFoundException>(() => _vault.OpenReadAsync(id, 0, None));
        Assert.Contains(id, error.Message);
        Assert.Contains(_vault.Location, error.Message);
    }

    [Fact]
    public async Task Opened_archive_is_a_file_stream_at_the_offset()
    {
        StoredArchive stored = await StoreAsync([1, 2, 3, 4, 5], "1", "d");
        await using Stream stream = await _vault.OpenReadAsync(stored.ArchiveId, 2, None);
        Assert.IsType<FileStream>(stream);
        Assert.Equal(2, stream.Position);
        Assert.False(stream.CanWrite);
    }

    [Fact]
    public async Task Disposing_content_early_and_sync_writes_still_complete()
    {
        await using IArchiveUpload upload = await _vault.BeginUploadAsync(new ArchiveUploadInfo("1", "d"), None);
        upload.Content.WriteByte(9);
        upload.Content.Write([8, 7], 0, 2);
        await upload.Content.DisposeAsync();
        StoredArchive stored = await upload.CompleteAsync(None);

        Assert.Equal(3, stored.Size);
        await Assert.ThrowsAsync<InvalidOperationException>(() => upload.CompleteAsync(None));
    }

    [Fact]
    public void Generated_ids_are_valid_time_ordered_and_distinct()
    {
        string earlier = LocalArchiveId.New(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string later = LocalArchiveId.New(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 1, TimeSpan.Zero));

        Assert.Matches("^20260101T000000000Z-[0-9a-f]{16}$", earlier);
        Assert.True(LocalArchiveId.IsValid(earlier));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.NotEqual(LocalArchiveId.New(DateTimeOffset.UnixEpoch), LocalArchiveId.New(DateTimeOffset.UnixEpoch));
    }

    private async Task<StoredArchive> StoreAsync(byte[] data, string runKey, string description)
    {
        await using IArchiveUpload upload = await _vault.BeginUploadAsync(new ArchiveUploadInfo(runKey, description), None);
        await upload.Content.WriteAsync(data, None);
        return await upload.CompleteAsync(None);
    }

    private Task<List<VaultArchive>> ListAsync() => ListAsync(_vault);

    private static async Task<List<VaultArchive>> ListAsync(LocalVault vault)
    {
        var archives = new List<VaultArchive>();
        await foreach (VaultArchive archive in vault.ListAsync(None))
        {
            archives.Add(archive);
        }

        return archives;
    }
}
