namespace AutoGlacier;

/// <summary>
/// A progress report from <see cref="UploadResume"/> while it finishes one run's upload from its spool (sent through
/// <see cref="IProgress{T}"/>: at most about four a second, once a second while parts are in flight, and a last
/// report per run in phase <see cref="ResumePhase.Done"/>).
/// </summary>
/// <param name="RunKey">The run being resumed.</param>
/// <param name="RunNumber">Which of the unfinished runs it is (from 1).</param>
/// <param name="RunCount">How many unfinished runs were found.</param>
public sealed record ResumeProgress(string RunKey, int RunNumber, int RunCount)
{
    /// <summary>What the resume is doing: <see cref="ResumePhase.Checking"/>, <see cref="ResumePhase.Uploading"/>, <see cref="ResumePhase.Completing"/> or <see cref="ResumePhase.Done"/>.</summary>
    public string Phase { get; init; } = ResumePhase.Checking;

    /// <summary>Parts the vault holds now: those found already stored and those sent by this resume.</summary>
    public int PartsDone { get; init; }

    /// <summary>Parts of the whole archive.</summary>
    public int PartsTotal { get; init; }

    /// <summary>Bytes of the archive in the parts the vault holds now (found already stored or sent by this resume).</summary>
    public long BytesUploaded { get; init; }

    /// <summary>Bytes of the whole archive (its sealed spool).</summary>
    public long ArchiveSize { get; init; }

    /// <summary>Parts being sent right now (at most the backend's concurrency).</summary>
    public int PartsInFlight { get; init; }

    /// <summary>Upload rate of the parts this resume sent, since it sent its first; null before a part sent now is acknowledged.</summary>
    public double? BytesPerSecond { get; init; }

    /// <summary>Time since this run's resume started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Estimated time left: the bytes not yet held at <see cref="BytesPerSecond"/>; null while there is no rate.</summary>
    public TimeSpan? EstimatedRemaining { get; init; }
}

/// <summary>The phases a <see cref="ResumeProgress"/> reports.</summary>
public static class ResumePhase
{
    /// <summary>Asking the vault which parts it holds already, checking the spool.</summary>
    public const string Checking = "checking";
    /// <summary>Sending the parts the vault does not hold.</summary>
    public const string Uploading = "uploading";
    /// <summary>Every part is held; the upload is being completed.</summary>
    public const string Completing = "completing";
    /// <summary>This run is settled (stored, or given up: the result says which).</summary>
    public const string Done = "done";
}
