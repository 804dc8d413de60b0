using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// A multipart backend's local server as the shared suites (<see cref="MultipartConformanceTests"/>,
/// <see cref="KilledBackupTests"/>, <see cref="UnfinishedRunTests"/>) see it, in the shape of restic's backend suite:
/// a vault factory, a request counter, views of what the server holds, faults, and a few knobs for the real
/// differences between backends. A backend joins the suites by implementing this once.
/// </summary>
internal abstract class MultipartServer : IAsyncDisposable
{
    /// <summary>The smallest part the backend accepts (Glacier 1 MiB, S3 5 MiB); the suites size archives in these.</summary>
    public abstract int PartSize { get; }

    /// <summary>
    /// Knob: false when the server cannot list an upload's parts (s3rver without the proxy's ListParts). A resume then
    /// sends every part again, and cannot tell that an upload is gone until a part is refused.
    /// </summary>
    public virtual bool ListsParts => true;

    /// <summary>Knob: the most parts one ListParts page holds (the resume follows the marker).</summary>
    public virtual int ListPartsPageSize => 1000;

    /// <summary>
    /// Knob: true when a completion the log never heard of can be found and adopted (S3: the object exists with the
    /// run's key and size); false when it cannot (Glacier has no lookup by upload), so the archive is stored again.
    /// </summary>
    public abstract bool FindsCompletedArchives { get; }

    /// <summary>Knob: requests one part takes before it fails for good under <see cref="FailPartsFrom"/> (retries included).</summary>
    public abstract int AttemptsPerFailingPart { get; }

    /// <summary>Knob: what an archive outgrowing the part limit throws.</summary>
    public virtual Type PartLimitError => typeof(AutoGlacierException);

    /// <summary>Knob: the shape of a part's checksum as the run log records it.</summary>
    public abstract string PartChecksumPattern { get; }

    /// <summary>A vault on this server with parts of <paramref name="partSizeFactor"/> × <see cref="PartSize"/>.</summary>
    public abstract IMultipartVault CreateVault(int partSizeFactor = 1, int? concurrency = null, int? maxParts = null);

    /// <summary>A configuration file for <paramref name="world"/> on this server: smallest parts, one part at a time.</summary>
    public abstract string WriteConfig(BackupWorld world);

    /// <summary>Requests the server has seen so far, by kind.</summary>
    public abstract RequestCounts Count();

    /// <summary>Upload ids the server holds open (neither completed nor aborted).</summary>
    public abstract IReadOnlyCollection<string> OpenUploads();

    /// <summary>Archives the server stores for the vaults of this test, read from its disk.</summary>
    public abstract int StoredArchiveCount();

    /// <summary>The bytes the server stores for <paramref name="archiveId"/>, read from its disk (past every reader of ours).</summary>
    public abstract byte[] StoredBytes(string archiveId);

    /// <summary>Part numbers (1-based) the server holds for <paramref name="ticket"/>'s upload.</summary>
    public abstract IReadOnlyList<int> PartNumbersHeld(MultipartTicket ticket);

    /// <summary>Asserts that <paramref name="archiveId"/> is what completing <paramref name="ticket"/>'s upload stored.</summary>
    public abstract void AssertCompletedFrom(MultipartTicket ticket, string archiveId);

    /// <summary>The <paramref name="request"/>-th part request from now (1-based) is held unanswered until faults are cleared or the client leaves.</summary>
    public abstract void HoldPartRequest(int request);

    /// <summary>Every part request from the <paramref name="request"/>-th from now on fails, so a part fails for good.</summary>
    public abstract void FailPartsFrom(int request);

    public abstract void ClearFaults();

    public abstract ValueTask DisposeAsync();
}

/// <summary>Requests of each multipart kind, to say what an operation took (subtract two counts).</summary>
internal readonly record struct RequestCounts(int Parts, int ListParts, int Initiate, int Complete, int PutWhole, int Abort)
{
    public static RequestCounts operator -(RequestCounts a, RequestCounts b) =>
        new(a.Parts - b.Parts, a.ListParts - b.ListParts, a.Initiate - b.Initiate, a.Complete - b.Complete, a.PutWhole - b.PutWhole, a.Abort - b.Abort);
}
