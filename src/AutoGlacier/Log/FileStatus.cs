namespace AutoGlacier.Log;

/// <summary>Per-file status as written in the JSON log.</summary>
public static class FileStatus
{
    /// <summary>Stored in the archive.</summary>
    public const string Stored = "stored";
    /// <summary>Not stored; <see cref="FileRecord.Reason"/> says why.</summary>
    public const string Skipped = "skipped";
    /// <summary>Stored, but its size or mtime changed while it was read: the stored copy may be inconsistent.</summary>
    public const string ChangedWhileRead = "changed-while-read";
    /// <summary>In the run's base snapshot but no longer in this one (gone, or unreadable now); not in the archive.</summary>
    public const string Removed = "removed";
}
