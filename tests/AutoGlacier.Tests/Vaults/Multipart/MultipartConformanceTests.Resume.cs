using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary><see cref="UploadResumer"/>: finishing an upload from its spool.</summary>
public abstract partial class MultipartConformanceTests
{
    [Fact]
    public async Task Parts_already_stored_are_not_sent_again_and_the_archive_equals_the_spool()
    {
        byte[] data = RandomBytes(FourParts, seed: 1);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0), Part(data, 1));

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal((Resent(missing: 2, all: 4), 1, 0, 1), (delta.Parts, delta.ListParts, delta.Initiate, delta.Complete));
        Assert.Equal(data.Length, stored.Size);
        Server.AssertCompletedFrom(ticket, stored.ArchiveId);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
        Assert.Empty(Server.OpenUploads());
        Assert.True(File.Exists(spool), "the resumer leaves the spool for its caller to delete");
    }

    [Fact]
    public async Task Every_part_stored_only_completes()
    {
        // The process died between the last part and Complete.
        byte[] data = RandomBytes(FourParts, seed: 2);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0), Part(data, 1), Part(data, 2), Part(data, 3));

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal((Resent(missing: 0, all: 4), 1), (delta.Parts, delta.Complete));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_stored_part_with_different_bytes_is_detected_and_sent_again()
    {
        // Valid for the server (right range, right checksum), wrong for the spool.
        byte[] data = RandomBytes(FourParts, seed: 3);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0), RandomBytes(P, seed: 99));

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal(Resent(missing: 3, all: 4), delta.Parts); // part 2 again, parts 3 and 4 for the first time
        Server.AssertCompletedFrom(ticket, stored.ArchiveId);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_stored_part_of_the_wrong_length_is_sent_again()
    {
        // The first half of the right bytes: a prefix of the part is not the part.
        byte[] data = RandomBytes(FourParts, seed: 4);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0), data.AsMemory(P, P / 2));

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal(Resent(missing: 3, all: 4), delta.Parts);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task An_upload_id_the_server_does_not_know_becomes_a_new_upload()
    {
        byte[] data = RandomBytes(FourParts, seed: 5);
        var journal = new RecordingJournal();
        (ArchiveUploadInfo info, string spool) = Spool(data, journal);
        MultipartTicket gone = GoneTicket(info);
        if (!Server.ListsParts)
        {
            await AssertGoneUploadFailsTheResumeAsync(info, spool, gone, data);
            return;
        }

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, gone, data);

        Assert.Equal((1, 4, 1), (delta.Initiate, delta.Parts, delta.Complete));
        MultipartTicket fresh = Assert.Single(journal.Tickets);
        Assert.NotEqual(gone.UploadId, fresh.UploadId);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
        Assert.Empty(Server.OpenUploads());
    }

    [Fact]
    public async Task An_aborted_upload_becomes_a_new_upload()
    {
        byte[] data = RandomBytes(FourParts, seed: 6);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0));
        await Backend.AbortAsync(ticket, CancellationToken.None);
        if (!Server.ListsParts)
        {
            await AssertGoneUploadFailsTheResumeAsync(info, spool, ticket, data);
            return;
        }

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal((1, 4), (delta.Initiate, delta.Parts));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_gone_upload_of_a_one_part_archive_is_stored_with_one_request()
    {
        byte[] data = RandomBytes(1000, seed: 7);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        if (!Server.ListsParts)
        {
            await AssertGoneUploadFailsTheResumeAsync(info, spool, GoneTicket(info), data);
            return;
        }

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, GoneTicket(info), data);

        Assert.Equal((1, 0, 0), (delta.PutWhole, delta.Initiate, delta.Parts));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_spool_that_differs_from_the_recorded_sha256_completes_nothing()
    {
        byte[] data = RandomBytes(FourParts, seed: 8);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0));

        // Damaged on disk after sealing, in a part the server does not hold yet.
        byte[] damaged = (byte[])data.Clone();
        damaged[(2 * P) + 10] ^= 0x40;
        File.WriteAllBytes(spool, damaged);
        RequestCounts before = Server.Count();

        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(() => Resumer(info).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None));

        Assert.Contains(spool, ex.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (Server.Count() - before).Complete);
        Assert.Equal(0, Server.StoredArchiveCount());
        Assert.True(File.Exists(spool));
    }

    [Fact]
    public async Task A_one_part_spool_that_differs_from_the_recorded_sha256_stores_nothing()
    {
        byte[] data = RandomBytes(5000, seed: 9);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        RequestCounts before = Server.Count();

        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(() =>
            Resumer(info).ResumeAsync(spool, ticket: null, Sha256Hex(RandomBytes(5000, seed: 10)), completingTarget: null, CancellationToken.None));

        Assert.Contains(spool, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (Server.Count() - before).PutWhole);
        Assert.Equal(0, Server.StoredArchiveCount());
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1000, 0)]
    [InlineData(0, 1)] // exactly one part
    public async Task An_archive_of_at_most_one_part_without_a_ticket_is_stored_with_one_request(int bytes, int parts)
    {
        int size = (parts * P) + bytes;
        byte[] data = RandomBytes(size, seed: size);
        var journal = new RecordingJournal();
        (ArchiveUploadInfo info, string spool) = Spool(data, journal);

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, null, data);

        Assert.Equal((1, 0, 0), (delta.PutWhole, delta.Initiate, delta.Parts));
        Assert.Empty(journal.Tickets);
        Assert.Equal(size, stored.Size);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task An_empty_spool_without_a_ticket_is_stored_as_an_empty_archive()
    {
        byte[] data = [];
        (ArchiveUploadInfo info, string spool) = Spool(data);

        StoredArchive stored = await Resumer(info).ResumeAsync(spool, ticket: null, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        Assert.Equal(0, stored.Size);
        Assert.Empty(await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_larger_archive_without_a_ticket_is_uploaded_in_parts()
    {
        // The process died after sealing the spool but before the first part initiated an upload.
        byte[] data = RandomBytes(FourParts, seed: 11);
        var journal = new RecordingJournal();
        (ArchiveUploadInfo info, string spool) = Spool(data, journal);

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, null, data);

        Assert.Equal((1, 0, 4), (delta.Initiate, delta.ListParts, delta.Parts));
        Server.AssertCompletedFrom(Assert.Single(journal.Tickets), stored.ArchiveId);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task The_resumed_archive_keeps_its_run_key_and_description()
    {
        // The description is set when the upload is initiated; the server keeps it with the archive.
        byte[] data = RandomBytes(FourParts, seed: 12);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await BegunUploadAsync(info, Part(data, 0));

        StoredArchive stored = await Resumer(info).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        var listed = new List<VaultArchive>();
        await foreach (VaultArchive archive in Vault.ListAsync(CancellationToken.None))
        {
            listed.Add(archive);
        }

        VaultArchive resumed = Assert.Single(listed, a => a.ArchiveId == stored.ArchiveId);
        Assert.Equal((info.RunKey, info.Description, (long)data.Length), (resumed.RunKey, resumed.Description, resumed.Size));
    }

    [Fact]
    public async Task An_upload_begun_with_another_part_size_is_resumed_with_that_part_size()
    {
        // PART_SIZE_MB was changed between the interrupted run and the resume: the upload keeps the size it began with.
        byte[] data = RandomBytes((5 * P) + 7, seed: 13); // 3 parts of 2P
        (ArchiveUploadInfo info, string spool) = Spool(data);
        IMultipartVault twice = Server.CreateVault(partSizeFactor: 2);
        MultipartTicket ticket;
        try
        {
            ticket = await twice.Multipart.InitiateAsync(twice.Multipart.NewTarget(info), info, CancellationToken.None);
            Assert.Equal(2 * P, ticket.PartSize);
            await twice.Multipart.UploadPartAsync(ticket, 0, data.AsMemory(0, 2 * P), CancellationToken.None);
        }
        finally
        {
            await DisposeVaultAsync(twice);
        }

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal((Resent(missing: 2, all: 3), 0), (delta.Parts, delta.Initiate));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_completion_the_log_never_heard_of_is_adopted_where_the_backend_can_find_it()
    {
        // The process ended between Complete (or PutObject) and writing its result to the log.
        byte[] data = RandomBytes(4000, seed: 14);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        string target = Backend.NewTarget(info);
        StoredArchive first = await Backend.PutWholeAsync(target, info, data, CancellationToken.None);

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, null, data, completingTarget: target);

        bool adopted = Server.FindsCompletedArchives;
        Assert.Equal(adopted, stored.ArchiveId == first.ArchiveId);
        Assert.Equal((adopted ? 0 : 1, adopted ? 1 : 2), (delta.PutWhole, Server.StoredArchiveCount()));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_completion_that_stored_nothing_is_uploaded_again()
    {
        byte[] data = RandomBytes(4000, seed: 15);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        string target = Backend.NewTarget(info); // recorded as completing, but nothing reached the server

        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, null, data, completingTarget: target);

        Assert.NotEqual(target, stored.ArchiveId);
        Assert.Equal((1, 1), (delta.PutWhole, Server.StoredArchiveCount()));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    /// <summary>
    /// Without ListParts a gone upload is not noticed until the server refuses its parts: the resume then fails with an
    /// error the user can act on and stores nothing (the run stays resumable).
    /// </summary>
    private async Task AssertGoneUploadFailsTheResumeAsync(ArchiveUploadInfo info, string spool, MultipartTicket gone, byte[] data)
    {
        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(() =>
            Resumer(info).ResumeAsync(spool, gone, Sha256Hex(data), completingTarget: null, CancellationToken.None));

        Assert.Contains(gone.UploadId, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.StoredArchiveCount());
        Assert.True(File.Exists(spool));
    }
}
