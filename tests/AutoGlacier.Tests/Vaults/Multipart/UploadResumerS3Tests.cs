using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.S3;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using AutoGlacier.Vaults.S3;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// <see cref="UploadResumer"/> against S3Vault on s3rver (5 MiB parts). Whether or not the server lists parts (s3rver
/// does not; without a listing every part is sent again), the completed object equals the spool and a damaged spool
/// completes nothing.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class UploadResumerS3Tests(S3Fixture fixture) : IDisposable
{
    private const int PartSize = 5 * MiB;

    private readonly TempDir _spoolDir = new();
    private readonly S3Vault _vault = S3Vault.Create(fixture.Config(S3StorageClasses.Standard));

    private IMultipartBackend Backend => ((IMultipartVault)_vault).Multipart;

    public void Dispose()
    {
        _vault.Dispose();
        _spoolDir.Dispose();
    }

    [Fact]
    public async Task A_partly_uploaded_archive_with_a_wrong_part_is_completed_equal_to_the_spool()
    {
        byte[] data = RandomBytes((2 * PartSize) + 3, seed: 1);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, PartSize), CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 1, RandomBytes(PartSize, seed: 99), CancellationToken.None);
        int partsBefore = fixture.Proxy.Count(r => r.IsUploadPart && r.ObjectPath.EndsWith(ticket.Target, StringComparison.Ordinal));

        StoredArchive stored = await new UploadResumer(Backend, info, NullLogger.Instance).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        // Parts 2 (wrong bytes) and 3 (missing) at least; part 1 too when the server cannot list parts.
        int sent = fixture.Proxy.Count(r => r.IsUploadPart && r.ObjectPath.EndsWith(ticket.Target, StringComparison.Ordinal)) - partsBefore;
        Assert.InRange(sent, 2, 3);
        Assert.Equal(ticket.Target, stored.ArchiveId);
        Assert.Equal(data.Length, stored.Size);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
        await _vault.DeleteAsync(stored.ArchiveId, CancellationToken.None);
    }

    [Fact]
    public async Task A_damaged_spool_completes_nothing()
    {
        byte[] data = RandomBytes(PartSize + 10, seed: 2);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        await Backend.UploadPartAsync(ticket, 0, data.AsMemory(0, PartSize), CancellationToken.None);
        byte[] damaged = (byte[])data.Clone();
        damaged[PartSize + 1] ^= 1;
        File.WriteAllBytes(spool, damaged);

        var ex = await Assert.ThrowsAnyAsync<AutoGlacierException>(() =>
            new UploadResumer(Backend, info, NullLogger.Instance).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget: null, CancellationToken.None));

        Assert.Contains(spool, ex.Message);
        Assert.Equal(0, fixture.Proxy.Count(r => r.Method == "POST" && r.Query.Contains("uploadId=" + Uri.EscapeDataString(ticket.UploadId), StringComparison.Ordinal)
            && r.ObjectPath.EndsWith(ticket.Target, StringComparison.Ordinal)));
        await Assert.ThrowsAsync<ArchiveNotFoundException>(() => _vault.RequestRetrievalAsync(ticket.Target, new RetrievalRequest(), CancellationToken.None));
    }

    [Fact]
    public async Task A_one_part_archive_without_a_ticket_is_stored_with_one_PutObject()
    {
        byte[] data = RandomBytes(4000, seed: 3);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        int putsBefore = fixture.Proxy.Count(r => r.IsPutObject);

        StoredArchive stored = await new UploadResumer(Backend, info, NullLogger.Instance).ResumeAsync(spool, ticket: null, Sha256Hex(data), completingTarget: null, CancellationToken.None);

        Assert.Equal(1, fixture.Proxy.Count(r => r.IsPutObject && r.ObjectPath.EndsWith(stored.ArchiveId, StringComparison.Ordinal)));
        Assert.True(fixture.Proxy.Count(r => r.IsPutObject) > putsBefore);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
        await _vault.DeleteAsync(stored.ArchiveId, CancellationToken.None);
    }

    [Fact]
    public async Task An_object_stored_just_before_the_process_ended_is_adopted_not_stored_twice()
    {
        byte[] data = RandomBytes(4000, seed: 4);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        string target = Backend.NewTarget(info);
        await Backend.PutWholeAsync(target, info, data, CancellationToken.None); // the completion the log never heard of
        int putsBefore = fixture.Proxy.Count(r => r.IsPutObject);

        StoredArchive stored = await new UploadResumer(Backend, info, NullLogger.Instance)
            .ResumeAsync(spool, ticket: null, Sha256Hex(data), completingTarget: target, CancellationToken.None);

        Assert.Equal(target, stored.ArchiveId);
        Assert.Equal(putsBefore, fixture.Proxy.Count(r => r.IsPutObject));
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
        await _vault.DeleteAsync(stored.ArchiveId, CancellationToken.None);
    }

    [Fact]
    public async Task A_completion_that_stored_nothing_is_uploaded_again()
    {
        byte[] data = RandomBytes(4000, seed: 5);
        (ArchiveUploadInfo info, string spool) = Spool(data);
        string target = Backend.NewTarget(info); // recorded as completing, but nothing reached S3

        StoredArchive stored = await new UploadResumer(Backend, info, NullLogger.Instance)
            .ResumeAsync(spool, ticket: null, Sha256Hex(data), completingTarget: target, CancellationToken.None);

        Assert.NotEqual(target, stored.ArchiveId);
        AssertSameBytes(data, await ReadAsync(stored.ArchiveId));
        await _vault.DeleteAsync(stored.ArchiveId, CancellationToken.None);
    }

    private (ArchiveUploadInfo Info, string SpoolPath) Spool(byte[] data)
    {
        string runKey = NewRunKey();
        string path = ArchiveSpool.PathFor(_spoolDir.Path, runKey);
        File.WriteAllBytes(path, data);
        return (new ArchiveUploadInfo(runKey, "resumed archive") { SpoolDirectory = _spoolDir.Path }, path);
    }

    private async Task<byte[]> ReadAsync(string archiveId)
    {
        RetrievalState state = await _vault.RequestRetrievalAsync(archiveId, new RetrievalRequest(), CancellationToken.None);
        Assert.True(state.IsReady, state.Message);
        await using Stream stream = await _vault.OpenReadAsync(archiveId, 0, CancellationToken.None);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
