using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// <see cref="UploadResumer"/> against the local Glacier server with 1 MiB parts: parts the server holds are reused
/// only when they match the spool, a gone upload becomes a new one, and a damaged spool completes nothing.
/// </summary>
public sealed class UploadResumerGlacierTests : IAsyncLifetime
{
    private const string VaultName = "resume";
    private const int FourParts = (3 * MiB) + 12345;

    private readonly TempDir _spoolDir = new();
    private LocalGlacierFixture _glacier = null!;
    private GlacierVault _vault = null!;

    private IMultipartBackend Backend => ((IMultipartVault)_vault).Multipart;

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        _vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: VaultName));

        // CREATE_VAULT makes the vault on the first upload; the backend's own calls expect it to exist.
        await (await _vault.BeginUploadAsync(new ArchiveUploadInfo("0", "create vault"), CancellationToken.None)).DisposeAsync();
        Assert.Equal(1 << 20, Backend.PartSize);
    }

    public async Task DisposeAsync()
    {
        await _vault.DisposeAsync();
        await _glacier.DisposeAsync();
        _spoolDir.Dispose();
    }

    [Fact]
    public async Task Parts_already_stored_are_not_sent_again_and_the_archive_equals_the_spool()
    {
        byte[] data = RandomBytes(FourParts, seed: 1);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, MiB), CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 1, data.AsMemory(MiB, MiB), CancellationToken.None);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, ticket, data);
        Assert.Equal(2, delta.Parts);
        Assert.Equal(1, delta.ListParts);
        Assert.Equal(0, delta.Initiate);
        Assert.Equal(1, delta.Complete);
        Assert.Equal(data.Length, stored.Size);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
        Assert.Empty(GlacierVaultHarness.OpenUploads(_glacier, VaultName));
        Assert.True(File.Exists(spool), "the resumer leaves the spool for its caller to delete");
    }

    [Fact]
    public async Task Every_part_stored_only_completes()
    {
        // The process died between the last part and Complete.
        byte[] data = RandomBytes(FourParts, seed: 2);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        for (int i = 0; i < 4; i++)
        {
            await Backend.UploadPartAsync(ticket, i, data.AsMemory(i * MiB, Math.Min(MiB, data.Length - (i * MiB))), CancellationToken.None);
        }

        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, ticket, data);
        Assert.Equal(0, delta.Parts);
        Assert.Equal(1, delta.Complete);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_stored_part_with_different_bytes_is_detected_and_sent_again()
    {
        byte[] data = RandomBytes(FourParts, seed: 3);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, MiB), CancellationToken.None);

        // Valid for the server (right range, right tree hash), wrong for the spool.
        await Backend.UploadPartAsync(ticket, 1, RandomBytes(MiB, seed: 99), CancellationToken.None);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal(3, delta.Parts); // part 2 again, parts 3 and 4 for the first time
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_stored_part_of_the_wrong_length_is_sent_again()
    {
        byte[] data = RandomBytes(FourParts, seed: 4);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, MiB), CancellationToken.None);

        // The first half of the right bytes: a prefix of the part is not the part.
        await Backend.UploadPartAsync(ticket, 1, data.AsMemory(MiB, MiB / 2), CancellationToken.None);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal(3, delta.Parts);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task An_upload_id_the_server_does_not_know_becomes_a_new_upload()
    {
        byte[] data = RandomBytes(FourParts, seed: 5);
        var journal = new RecordingJournal();
        (ArchiveUploadInfo info, string spool) = Spool(data, journal);
        var gone = new MultipartTicket("unknownUpload" + Guid.NewGuid().ToString("N"), VaultName, MiB);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, gone, data);
        Assert.Equal(1, delta.Initiate);
        Assert.Equal(4, delta.Parts);
        Assert.Equal(1, delta.Complete);
        MultipartTicket fresh = Assert.Single(journal.Tickets);
        Assert.NotEqual(gone.UploadId, fresh.UploadId);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
        Assert.Empty(GlacierVaultHarness.OpenUploads(_glacier, VaultName));
    }

    [Fact]
    public async Task An_aborted_upload_becomes_a_new_upload()
    {
        byte[] data = RandomBytes(FourParts, seed: 6);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, MiB), CancellationToken.None);
        await Backend.AbortAsync(ticket, CancellationToken.None);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, ticket, data);
        Assert.Equal(1, delta.Initiate);
        Assert.Equal(4, delta.Parts);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_gone_upload_of_a_one_part_archive_is_stored_with_one_request()
    {
        byte[] data = RandomBytes(1000, seed: 7);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        var gone = new MultipartTicket("unknownUpload" + Guid.NewGuid().ToString("N"), VaultName, MiB);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, gone, data);
        Assert.Equal(1, delta.UploadArchive);
        Assert.Equal(0, delta.Initiate);
        Assert.Equal(0, delta.Parts);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_spool_that_differs_from_the_recorded_sha256_completes_nothing()
    {
        byte[] data = RandomBytes(FourParts, seed: 8);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, MiB), CancellationToken.None);

        // Damaged on disk after sealing, in a part the server does not hold yet.
        byte[] damaged = (byte[])data.Clone();
        damaged[(2 * MiB) + 10] ^= 0x40;
        File.WriteAllBytes(spool, damaged);
        Counts before = Count();

        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(() => Resumer(info).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None));

        Assert.Contains(spool, ex.Message);
        Assert.Contains("SHA-256", ex.Message);
        Assert.Equal(0, (Count() - before).Complete);
        Assert.Empty(GlacierVaultHarness.StoredArchives(_glacier, VaultName));
        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task A_one_part_spool_that_differs_from_the_recorded_sha256_stores_nothing()
    {
        byte[] data = RandomBytes(5000, seed: 9);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        Counts before = Count();

        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(() =>
            Resumer(info).ResumeAsync(spool, ticket: null, Sha256Hex(RandomBytes(5000, seed: 10)), completingTarget: null, CancellationToken.None));

        Assert.Contains(spool, ex.Message);
        Assert.Equal(0, (Count() - before).UploadArchive);
        Assert.Empty(GlacierVaultHarness.StoredArchives(_glacier, VaultName));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(MiB)]
    public async Task An_archive_of_at_most_one_part_without_a_ticket_is_stored_with_one_UploadArchive(int size)
    {
        byte[] data = RandomBytes(size, seed: size);
        var journal = new RecordingJournal();
        (ArchiveUploadInfo info, string spool) = Spool(data, journal);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, null, data);
        Assert.Equal(1, delta.UploadArchive);
        Assert.Equal(0, delta.Initiate);
        Assert.Equal(0, delta.Parts);
        Assert.Empty(journal.Tickets);
        Assert.Equal(size, stored.Size);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task An_empty_spool_without_a_ticket_is_stored_as_an_empty_archive()
    {
        byte[] data = [];
        (ArchiveUploadInfo info, string spool) = Spool(data);

        StoredArchive stored = await Resumer(info).ResumeAsync(spool, ticket: null, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        Assert.Equal(0, stored.Size);
        Assert.Empty(await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_larger_archive_without_a_ticket_is_uploaded_in_parts()
    {
        // The process died after sealing the spool but before the first part initiated an upload.
        byte[] data = RandomBytes(FourParts, seed: 11);
        var journal = new RecordingJournal();
        (ArchiveUploadInfo info, string spool) = Spool(data, journal);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, null, data);
        Assert.Equal(1, delta.Initiate);
        Assert.Equal(0, delta.ListParts);
        Assert.Equal(4, delta.Parts);
        Assert.Single(journal.Tickets);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task The_resumed_archive_keeps_its_run_key_and_description()
    {
        byte[] data = RandomBytes(FourParts, seed: 12);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, MiB), CancellationToken.None);

        StoredArchive stored = await Resumer(info).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        // The description is set when the upload is initiated; the local server keeps it with the archive.
        string metaFile = Path.ChangeExtension(Assert.Single(GlacierVaultHarness.StoredArchives(_glacier, VaultName)), ".json");
        using var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metaFile));
        string? glacierDescription = meta.RootElement.EnumerateObject()
            .Single(p => p.Name.Equals("Description", StringComparison.OrdinalIgnoreCase)).Value.GetString();
        Assert.Equal((info.RunKey, info.Description), ArchiveDescriptionCodec.Decode(glacierDescription));
        Assert.Equal(data.Length, stored.Size);
    }

    [Fact]
    public async Task An_upload_begun_with_another_part_size_is_resumed_with_that_part_size()
    {
        // PART_SIZE_MB was changed between the interrupted run and the resume: the upload keeps the size it began with.
        byte[] data = RandomBytes((5 * MiB) + 7, seed: 13); // 3 parts of 2 MiB
        (ArchiveUploadInfo info, string spool) = Spool(data);
        await using var twoMiB = new GlacierVault(GlacierTestSettings.For(_glacier, vault: VaultName) with { PartSizeMb = 2 });
        IMultipartBackend begun = ((IMultipartVault)twoMiB).Multipart;
        MultipartTicket ticket = await begun.InitiateAsync(begun.NewTarget(info), info, CancellationToken.None);
        Assert.Equal(2 * MiB, ticket.PartSize);
        await begun.UploadPartAsync(ticket, 0, data.AsMemory(0, 2 * MiB), CancellationToken.None);
        (StoredArchive stored, Counts delta) = await ResumeCountedAsync(info, spool, ticket, data);
        Assert.Equal(2, delta.Parts);
        Assert.Equal(0, delta.Initiate);
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    private (ArchiveUploadInfo Info, string SpoolPath) Spool(byte[] data, IUploadJournal? journal = null)
    {
        string runKey = NewRunKey();
        string path = ArchiveSpool.PathFor(_spoolDir.Path, runKey);
        File.WriteAllBytes(path, data);
        return (new ArchiveUploadInfo(runKey, "resumed archive") { SpoolDirectory = _spoolDir.Path, Journal = journal }, path);
    }

    /// <summary>Resumes from <paramref name="spool"/> (holding <paramref name="data"/>) and says which requests that took.</summary>
    private async Task<(StoredArchive Stored, Counts Delta)> ResumeCountedAsync(ArchiveUploadInfo info, string spool, MultipartTicket? ticket, byte[] data)
    {
        Counts before = Count();
        StoredArchive stored = await Resumer(info).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None);
        return (stored, Count() - before);
    }

    private UploadResumer Resumer(ArchiveUploadInfo info) => new(Backend, info, NullLogger.Instance);

    private Counts Count()
    {
        LocalGlacier.LocalGlacierServer server = _glacier.Server;
        return new Counts(server.RequestCount("UploadMultipartPart"), server.RequestCount("ListParts"), server.RequestCount("InitiateMultipartUpload"),
            server.RequestCount("CompleteMultipartUpload"), server.RequestCount("UploadArchive"));
    }

    private readonly record struct Counts(int Parts, int ListParts, int Initiate, int Complete, int UploadArchive)
    {
        public static Counts operator -(Counts a, Counts b) =>
            new(a.Parts - b.Parts, a.ListParts - b.ListParts, a.Initiate - b.Initiate, a.Complete - b.Complete, a.UploadArchive - b.UploadArchive);
    }
}
