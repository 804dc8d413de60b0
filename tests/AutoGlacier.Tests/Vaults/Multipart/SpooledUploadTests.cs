using AutoGlacier.LocalGlacier;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// <see cref="SpooledArchiveUpload"/> through GlacierVault and the local Glacier server (1 MiB parts): the spool's life
/// (there while writing, gone after success or an unfinished archive, kept when the upload can be resumed), the
/// journal, and a failed upload finished by <see cref="UploadResumer"/>.
/// </summary>
public sealed class SpooledUploadTests : IAsyncLifetime
{
    private const string VaultName = "spooled";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly TempDir _dir = new();
    private LocalGlacierFixture _glacier = null!;
    private GlacierVault _vault = null!;

    private string SpoolDirectory => _dir.Combine("spool");

    public async Task InitializeAsync()
    {
        _glacier = await LocalGlacierFixture.StartAsync();
        _vault = new GlacierVault(GlacierTestSettings.For(_glacier, vault: VaultName));
        await (await _vault.BeginUploadAsync(new ArchiveUploadInfo("0", "create vault"), CancellationToken.None)).DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await _vault.DisposeAsync();
        await _glacier.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_spool_exists_while_writing_and_is_deleted_after_completing()
    {
        byte[] data = RandomBytes((2 * MiB) + 777, seed: 1);
        ArchiveUploadInfo info = Info();
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        StoredArchive stored;
        await using (IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None))
        {
            Assert.IsType<SpooledArchiveUpload>(upload);
            await upload.Content.WriteAsync(data.AsMemory(0, MiB + 10));
            Assert.True(File.Exists(spool), "the spool is written while the archive is");
            Assert.Equal(MiB + 10, new FileInfo(spool).Length);
            await upload.Content.WriteAsync(data.AsMemory(MiB + 10));
            Assert.Equal(data.Length, new FileInfo(spool).Length);

            stored = await upload.CompleteAsync(CancellationToken.None);
        }

        Assert.False(File.Exists(spool));
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        Assert.Equal(data.Length, stored.Size);
        Assert.Equal(3, _glacier.Server.RequestCount("UploadMultipartPart"));
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(MiB)]
    public async Task An_archive_of_at_most_one_part_goes_up_whole_and_its_spool_is_deleted(int size)
    {
        byte[] data = RandomBytes(size, seed: size);
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);

        StoredArchive stored = await StoreAsync(info, data);

        Assert.Equal(1, _glacier.Server.RequestCount("UploadArchive"));
        Assert.Equal(0, _glacier.Server.RequestCount("InitiateMultipartUpload"));
        Assert.Empty(journal.Tickets);
        Assert.Equal((ArchiveSpool.PathFor(SpoolDirectory, info.RunKey), (long)size), Assert.Single(journal.Sealed));
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task Disposing_without_completing_deletes_the_spool_and_aborts_the_upload()
    {
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);
        string spool = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        MultipartTicket ticket;
        await using (IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None))
        {
            await upload.Content.WriteAsync(RandomBytes((2 * MiB) + 5, seed: 2));

            // Parts go up while the archive is written: wait for the upload to exist, so there is one to abort.
            ticket = await journal.Started.WaitAsync(Generous);
            Assert.True(File.Exists(spool));
        }

        Assert.False(File.Exists(spool));
        Assert.Empty(journal.Sealed);
        Assert.Equal(1, _glacier.Server.RequestCount("AbortMultipartUpload"));
        Assert.Equal(0, _glacier.Server.RequestCount("CompleteMultipartUpload"));
        Assert.Empty(GlacierVaultHarness.OpenUploads(_glacier, VaultName));
        Assert.False(Directory.Exists(Path.Combine(_glacier.DataDirectory, "vaults", VaultName, "uploads", ticket.UploadId)));
        Assert.Empty(GlacierVaultHarness.StoredArchives(_glacier, VaultName));
    }

    [Fact]
    public async Task Disposing_a_one_part_archive_without_completing_deletes_the_spool_and_sends_nothing()
    {
        ArchiveUploadInfo info = Info();
        await using (IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None))
        {
            await upload.Content.WriteAsync(RandomBytes(1000, seed: 3));
            Assert.True(File.Exists(ArchiveSpool.PathFor(SpoolDirectory, info.RunKey)));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        Assert.Equal(0, _glacier.Server.RequestCount("UploadArchive"));
        Assert.Equal(0, _glacier.Server.RequestCount("InitiateMultipartUpload"));
    }

    [Fact]
    public async Task The_journal_gets_the_ticket_before_any_part_and_the_sealed_spool_path_and_size()
    {
        byte[] data = RandomBytes((3 * MiB) + 4321, seed: 4);
        int partsWhenStarted = -1;
        long spoolLengthWhenSealed = -1;
        var journal = new RecordingJournal(
            onStarted: _ => partsWhenStarted = _glacier.Server.RequestCount("UploadMultipartPart"),
            onSealed: (path, _) => spoolLengthWhenSealed = new FileInfo(path).Length);
        ArchiveUploadInfo info = Info(journal);

        StoredArchive stored = await StoreAsync(info, data, chunk: 100_000);

        MultipartTicket ticket = Assert.Single(journal.Tickets);
        Assert.Equal(0, partsWhenStarted);
        Assert.Equal(VaultName, ticket.Target);
        Assert.Equal(MiB, ticket.PartSize);

        // The ticket names the upload the server completed.
        string uploadDir = Path.Combine(_glacier.DataDirectory, "vaults", VaultName, "uploads", ticket.UploadId);
        Assert.True(File.Exists(Path.Combine(uploadDir, "completed.json")), $"upload {ticket.UploadId} was not the one completed");
        Assert.Contains(stored.ArchiveId, File.ReadAllText(Path.Combine(uploadDir, "completed.json")));

        (string path, long size) = Assert.Single(journal.Sealed);
        Assert.Equal(ArchiveSpool.PathFor(SpoolDirectory, info.RunKey), path);
        Assert.Equal(data.Length, size);
        Assert.Equal(data.Length, spoolLengthWhenSealed);
        // Started and sealed race (the pump may initiate after the writer sealed); completing is always last.
        Assert.Equal(["completing", "sealed", "started"], journal.Calls.Select(c => c.Call).Order());
        Assert.Equal(("completing", VaultName), journal.Calls.Last());
        Assert.Equal([0, 1, 2, 3], journal.Parts.Keys.Order());
        Assert.All(journal.Parts, p => Assert.Equal((long)p.Key * MiB, p.Value.Start));
        Assert.Equal(data.Length, journal.Parts.Values.Sum(p => p.Part.Length));
        Assert.False(File.Exists(path));
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_part_failing_for_good_after_earlier_parts_keeps_the_spool_and_resuming_finishes_it()
    {
        byte[] data = RandomBytes((4 * MiB) + 99, seed: 5); // 5 parts
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);

        // The first two parts go through; from the third request on, every part attempt fails (retries exhausted).
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 3, FaultKind.ServiceUnavailable, Times: 100_000));
        await using (IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None))
        {
            upload.Content.Write(data);
            var ex = await Assert.ThrowsAsync<UploadInterruptedException>(() => upload.CompleteAsync(CancellationToken.None));
            Assert.Contains("resume", ex.Message);
            Assert.Contains(ArchiveSpool.PathFor(SpoolDirectory, info.RunKey), ex.Message);
        }

        // Kept: the spool, and the upload with its two parts.
        (string spool, long size) = Assert.Single(journal.Sealed);
        Assert.True(File.Exists(spool), "the spool of a resumable upload is kept");
        Assert.Equal(data, File.ReadAllBytes(spool));
        Assert.Equal(data.Length, size);
        MultipartTicket ticket = Assert.Single(journal.Tickets);
        Assert.Equal(0, _glacier.Server.RequestCount("AbortMultipartUpload"));
        Assert.Equal(0, _glacier.Server.RequestCount("CompleteMultipartUpload"));
        Assert.Single(GlacierVaultHarness.OpenUploads(_glacier, VaultName));

        _glacier.Server.ClearFaults();
        int partsBefore = _glacier.Server.RequestCount("UploadMultipartPart");
        IMultipartBackend backend = ((IMultipartVault)_vault).Multipart;
        StoredArchive stored = await new UploadResumer(backend, info, NullLogger.Instance)
            .ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        Assert.Equal(3, _glacier.Server.RequestCount("UploadMultipartPart") - partsBefore); // parts 1 and 2 were kept
        Assert.Equal(1, _glacier.Server.RequestCount("InitiateMultipartUpload")); // the same upload, continued
        Assert.Empty(GlacierVaultHarness.OpenUploads(_glacier, VaultName));
        AssertSameBytes(data, await GlacierVaultHarness.ReadAsync(_vault, stored.ArchiveId));
    }

    [Fact]
    public async Task A_first_part_failing_for_good_fails_the_write_and_leaves_no_spool()
    {
        // Not one part got through (bad credentials, missing vault): nothing is worth resuming.
        _glacier.Server.AddFault(new FaultRule("UploadMultipartPart", 1, FaultKind.ServiceUnavailable, Times: 100_000));
        var journal = new RecordingJournal();
        ArchiveUploadInfo info = Info(journal);

        await using (IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None))
        {
            // Enough for the first part to go up; then a byte at a time until a write sees the failure (the part's
            // retries take a moment), with a generous deadline.
            await upload.Content.WriteAsync(RandomBytes((2 * MiB) + 1, seed: 6));
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
            Assert.True(_glacier.Server.RequestCount("UploadMultipartPart") >= GlacierTestSettings.For(_glacier).MaxAttempts);
        }

        Assert.Empty(journal.Sealed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolDirectory));
        Assert.Empty(GlacierVaultHarness.OpenUploads(_glacier, VaultName));
        Assert.Empty(GlacierVaultHarness.StoredArchives(_glacier, VaultName));
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
            await using IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None);
        });

        Assert.Contains(spool, ex.Message);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(spool));
    }

    private ArchiveUploadInfo Info(IUploadJournal? journal = null) =>
        new(NewRunKey(), "spooled upload") { SpoolDirectory = SpoolDirectory, Journal = journal };

    private async Task<StoredArchive> StoreAsync(ArchiveUploadInfo info, byte[] data, int? chunk = null)
    {
        await using IArchiveUpload upload = await _vault.BeginUploadAsync(info, CancellationToken.None);
        for (int offset = 0; offset < data.Length;)
        {
            int count = Math.Min(chunk ?? data.Length, data.Length - offset);
            await upload.Content.WriteAsync(data.AsMemory(offset, count));
            offset += count;
        }

        return await upload.CompleteAsync(CancellationToken.None);
    }
}
