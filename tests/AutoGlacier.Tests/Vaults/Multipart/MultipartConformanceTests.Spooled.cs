using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// <see cref="SpooledArchiveUpload"/>: the spool's life (there while writing, gone after success or an unfinished
/// archive, kept when the upload can be resumed), the journal, and failures that leave a run resumable.
/// </summary>
public abstract partial class MultipartConformanceTests
{
    [Fact]
    public async Task The_spool_exists_while_writing_and_is_deleted_after_completing()
    {
        byte[] data = RandomBytes((2 * P) + 777, seed: 21);
        ArchiveUploadInfo info = Info();
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        StoredArchive stored;
        await using (IArchiveUpload upload = await Vault.BeginUploadAsync(info, CancellationToken.None))
        {
            Assert.IsType<SpooledArchiveUpload>(upload);
            await upload.Content.WriteAsync(data.AsMemory(0, P + 10));
            Assert.True(File.Exists(spool), "the spool is written while the archive is");
            Assert.Equal(P + 10, new FileInfo(spool).Length);
            await upload.Content.WriteAsync(data.AsMemory(P + 10));
            Assert.Equal(data.Length, new FileInfo(spool).Length);

            stored = await upload.CompleteAsync(CancellationToken.None);
        }

        Assert.False(File.Exists(spool));
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        Assert.Equal(data.Length, stored.Size);
        Assert.Equal(3, Server.Count().Parts);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1000, 0)]
    [InlineData(0, 1)] // exactly one part
    public async Task An_archive_of_at_most_one_part_goes_up_whole_and_its_spool_is_deleted(int bytes, int parts)
    {
        int size = (parts * P) + bytes;
        byte[] data = RandomBytes(size, seed: size);
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);

        StoredArchive stored = await StoreAsync(info, data);

        Assert.Equal((1, 0), (Server.Count().PutWhole, Server.Count().Initiate));
        Assert.Empty(journal.Tickets);
        Assert.Equal((ArchiveSpool.PathFor(SpoolDirectory, info.RunKey), (long)size), Assert.Single(journal.Sealed));
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task Disposing_without_completing_deletes_the_spool_and_aborts_the_upload()
    {
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        await using (IArchiveUpload upload = await Vault.BeginUploadAsync(info, CancellationToken.None))
        {
            await upload.Content.WriteAsync(RandomBytes((2 * P) + 5, seed: 22));

            // Parts go up while the archive is written: wait for the upload to exist, so there is one to abort.
            await journal.Started.WaitAsync(Generous);
            Assert.True(File.Exists(spool));
        }

        Assert.False(File.Exists(spool));
        Assert.Empty(journal.Sealed);
        Assert.Equal((1, 0), (Server.Count().Abort, Server.Count().Complete));
        Assert.Empty(Server.OpenUploads());
        Assert.Equal(0, Server.StoredArchiveCount());
    }

    [Fact]
    public async Task Disposing_a_one_part_archive_without_completing_deletes_the_spool_and_sends_nothing()
    {
        ArchiveUploadInfo info = Info();
        await using (IArchiveUpload upload = await Vault.BeginUploadAsync(info, CancellationToken.None))
        {
            await upload.Content.WriteAsync(RandomBytes(1000, seed: 23));
            Assert.True(File.Exists(ArchiveSpool.PathFor(SpoolDirectory, info.RunKey)));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        Assert.Equal((0, 0), (Server.Count().PutWhole, Server.Count().Initiate));
    }

    [Fact]
    public async Task The_journal_gets_the_ticket_before_any_part_and_the_sealed_spool_path_and_size()
    {
        byte[] data = RandomBytes((3 * P) + 4321, seed: 24);
        int partsWhenStarted = -1;
        long spoolLengthWhenSealed = -1;
        var journal = new RecordingJournal(
            onStarted: _ => partsWhenStarted = Server.Count().Parts,
            onSealed: (path, _) => spoolLengthWhenSealed = new FileInfo(path).Length);
        ArchiveUploadInfo info = Info(journal);

        StoredArchive stored = await StoreAsync(info, data, chunk: 100_000);

        MultipartTicket ticket = Assert.Single(journal.Tickets);
        Assert.Equal((0, (long)P), (partsWhenStarted, ticket.PartSize));
        Server.AssertCompletedFrom(ticket, stored.ArchiveId); // the ticket names the upload the server completed
        (string path, long size) = Assert.Single(journal.Sealed);
        Assert.Equal(ArchiveSpool.PathFor(SpoolDirectory, info.RunKey), path);
        Assert.Equal((data.Length, data.Length), (size, spoolLengthWhenSealed));

        // Started and sealed race (the pump may initiate after the writer sealed); completing is always last.
        Assert.Equal(["completing", "sealed", "started"], journal.Calls.Select(c => c.Call).Order());
        Assert.Equal(("completing", ticket.Target), journal.Calls.Last());
        Assert.Equal([0, 1, 2, 3], journal.Parts.Keys.Order());
        Assert.All(journal.Parts, p => Assert.Equal((long)p.Key * P, p.Value.Start));
        Assert.Equal(data.Length, journal.Parts.Values.Sum(p => p.Part.Length));
        Assert.False(File.Exists(path));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_part_failing_for_good_after_earlier_parts_keeps_the_spool_and_resuming_finishes_it()
    {
        byte[] data = RandomBytes((4 * P) + 99, seed: 25); // 5 parts
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);

        // The first two parts go through; from the third request on, every part attempt fails (retries exhausted).
        // One part at a time, so the failure cannot cut part 2 short.
        IMultipartVault oneAtATime = Server.CreateVault(concurrency: 1);
        Server.FailPartsFrom(3);
        await using (IArchiveUpload upload = await oneAtATime.BeginUploadAsync(info, CancellationToken.None))
        {
            upload.Content.Write(data);
            var ex = await Assert.ThrowsAsync<UploadInterruptedException>(() => upload.CompleteAsync(CancellationToken.None));
            Assert.Contains("resume", ex.Message, StringComparison.Ordinal);
            Assert.Contains(ArchiveSpool.PathFor(SpoolDirectory, info.RunKey), ex.Message, StringComparison.Ordinal);
        }

        await DisposeVaultAsync(oneAtATime);

        // Kept: the spool, and the upload with its two parts.
        (string spool, long size) = Assert.Single(journal.Sealed);
        Assert.True(File.Exists(spool), "the spool of a resumable upload is kept");
        Assert.Equal(data, File.ReadAllBytes(spool));
        Assert.Equal(data.Length, size);
        MultipartTicket ticket = Assert.Single(journal.Tickets);
        Assert.Equal((0, 0), (Server.Count().Abort, Server.Count().Complete));
        Assert.Equal([ticket.UploadId], Server.OpenUploads());
        Assert.Equal([1, 2], Server.PartNumbersHeld(ticket));

        Server.ClearFaults();
        (StoredArchive stored, RequestCounts delta) = await ResumeCountedAsync(info, spool, ticket, data);

        Assert.Equal(Resent(missing: 3, all: 5), delta.Parts); // parts 1 and 2 were kept
        Assert.Equal(1, Server.Count().Initiate); // the same upload, continued
        Assert.Empty(Server.OpenUploads());
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
    }

    [Fact]
    public async Task A_first_part_failing_for_good_fails_the_write_and_leaves_no_spool()
    {
        // Not one part got through (bad credentials, missing vault or bucket): nothing is worth resuming.
        Server.FailPartsFrom(1);
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);

        await using (IArchiveUpload upload = await Vault.BeginUploadAsync(info, CancellationToken.None))
        {
            // Enough for the first part to go up; then a byte at a time until a write sees the failure (the part's
            // retries take a moment), with a generous deadline.
            await upload.Content.WriteAsync(RandomBytes((2 * P) + 1, seed: 26));
            Exception? failure = null;
            using var deadline = new CancellationTokenSource(Generous);
            while (failure is null && !deadline.IsCancellationRequested)
            {
                failure = await Record.ExceptionAsync(() => upload.Content.WriteAsync(new byte[] { 42 }).AsTask());
                if (failure is null)
                {
                    await Task.Delay(20);
                }
            }

            Assert.IsAssignableFrom<AutoGlacierException>(failure);
            Assert.True(Server.Count().Parts >= Server.AttemptsPerFailingPart, $"{Server.Count().Parts} part requests");
        }

        Assert.Empty(journal.Sealed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        Assert.Empty(Server.OpenUploads());
        Assert.Equal(0, Server.StoredArchiveCount());
    }

    [Fact]
    public async Task A_spool_left_by_an_unfinished_run_is_not_overwritten()
    {
        ArchiveUploadInfo info = Info();
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        Directory.CreateDirectory(SpoolDirectory);
        File.WriteAllBytes(spool, [1, 2, 3]);

        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(async () =>
        {
            await using IArchiveUpload upload = await Vault.BeginUploadAsync(info, CancellationToken.None);
        });

        Assert.Contains(spool, ex.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(spool));
    }

    [Fact]
    public async Task Cancelling_after_sealing_stops_the_remaining_parts_and_keeps_the_run_resumable()
    {
        IMultipartVault oneAtATime = Server.CreateVault(concurrency: 1);
        Server.HoldPartRequest(2);
        ArchiveUploadInfo info = Info();
        byte[] data = RandomBytes((4 * P) + 5, seed: 27);
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        try
        {
            await using IArchiveUpload upload = await oneAtATime.BeginUploadAsync(info, CancellationToken.None);
            await upload.Content.WriteAsync(data);
            using var cancel = new CancellationTokenSource();
            Task<StoredArchive> completing = upload.CompleteAsync(cancel.Token);
            while (Server.Count().Parts < 2)
            {
                await Task.Delay(20); // part 2 is now held by the server
            }

            await cancel.CancelAsync();
            var ex = await Assert.ThrowsAsync<UploadInterruptedException>(() => completing.WaitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains(spool, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await DisposeVaultAsync(oneAtATime);
        }

        Assert.Equal(0, Server.Count().Complete);
        Assert.True(File.Exists(spool), "a sealed spool is kept for the resume");
        Assert.Equal(data, File.ReadAllBytes(spool));
    }

    [Fact]
    public async Task An_archive_outgrowing_the_part_limit_fails_while_written_and_leaves_nothing()
    {
        IMultipartVault twoParts = Server.CreateVault(concurrency: 1, maxParts: 2);
        try
        {
            await using IArchiveUpload upload = await twoParts.BeginUploadAsync(Info(), CancellationToken.None);
            var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(async () =>
            {
                for (int i = 0; i < 4; i++)
                {
                    await upload.Content.WriteAsync(RandomBytes(P, seed: i));
                }
            });
            Assert.IsAssignableFrom(Server.PartLimitError, ex);
            Assert.Contains("PART_SIZE_MB", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await DisposeVaultAsync(twoParts);
        }

        Assert.Empty(Directory.EnumerateFiles(SpoolDirectory));
        Assert.Empty(Server.OpenUploads());
    }
}
