namespace AutoGlacier.Snapshots;

/// <summary>CHANGE_DETECTION: how a backup decides that an entry must be stored again.</summary>
internal enum ChangeDetection
{
    /// <summary>From lstat metadata alone (type, size, mtime, ctime, inode, device, mode, owner, link target): no unchanged file is read.</summary>
    Metadata,
    /// <summary>Every file is read and hashed; only content whose SHA-256 is not already held is stored (catches edits that keep mtime).</summary>
    Content,
}

/// <summary>Why an entry is stored or re-listed; <see cref="None"/> when nothing differs from the base.</summary>
internal enum ChangeReason
{
    /// <summary>Nothing differs.</summary>
    None,
    /// <summary>The path is not in the base snapshot.</summary>
    New,
    /// <summary>It became another kind of entry (a file replaced by a symlink, a directory by a file…).</summary>
    Type,
    /// <summary>Its size changed.</summary>
    Size,
    /// <summary>Its modification time changed.</summary>
    Mtime,
    /// <summary>Its status-change time changed (a write that restored mtime, a chmod…).</summary>
    Ctime,
    /// <summary>It is another inode (replaced by a new file, e.g. by an editor's save-and-rename).</summary>
    Inode,
    /// <summary>It is on another device.</summary>
    Device,
    /// <summary>Its permission bits changed.</summary>
    Mode,
    /// <summary>Its owner or group changed.</summary>
    Owner,
    /// <summary>The symlink points elsewhere.</summary>
    LinkTarget,
    /// <summary>The base entry does not say where its bytes are, so they cannot be referenced.</summary>
    NoLocation,
    /// <summary>Content mode: the SHA-256 differs although the metadata does not.</summary>
    Content,
}

/// <summary>What the backup does with one entry.</summary>
internal abstract record EntryDecision
{
    private EntryDecision() { }

    /// <summary>Identical to the base entry: an incremental or differential catalog does not list it; its bytes stay where <paramref name="Base"/> says.</summary>
    public sealed record Unchanged(CatalogEntry Base) : EntryDecision;

    /// <summary>Listed with its metadata as it is now, its content referenced where it is already held (a move, a copy, a metadata-only change).</summary>
    public sealed record Reference(ContentLocation Bytes, ChangeReason Why) : EntryDecision;

    /// <summary>Written into this run's archive.</summary>
    public sealed record Store(ChangeReason Why) : EntryDecision;
}

/// <summary>
/// Change detection: compares an entry as it is now with the same path in the base snapshot, the way restic's
/// archiver does (type, size and mtime first, then ctime, inode and device), plus what a restore reproduces
/// (mode, owner, link target), since a snapshot must restore exactly.
/// </summary>
/// <param name="detection">Metadata or content.</param>
/// <param name="moves">Metadata mode: base files gone from their path, to recognise a move by device + inode + size + mtime.</param>
/// <param name="held">Content mode: the content already held in the series, by SHA-256.</param>
internal sealed class ChangeDetector(ChangeDetection detection, MoveCandidates? moves = null, ContentIndex? held = null)
{
    /// <summary>
    /// True when <see cref="Decide"/> needs the SHA-256 of a regular file's current content: always in content mode;
    /// in metadata mode only for a file that looks like a base file moved here (its content confirms the move).
    /// </summary>
    public bool NeedsHash(EntryFacts now) =>
        now.Type == EntryType.File && (detection == ChangeDetection.Content || moves?.Find(now) is not null);

    /// <summary>Decides what to do with <paramref name="now"/> given its base entry (null when the path is new).</summary>
    /// <param name="now">The entry now.</param>
    /// <param name="previous">The same path in the base snapshot's complete listing, or null.</param>
    /// <param name="sha256">Content mode, regular files: the lowercase hex SHA-256 of the content now.</param>
    public EntryDecision Decide(EntryFacts now, CatalogEntry? previous, string? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(now);
        if (detection == ChangeDetection.Content && now.Type == EntryType.File)
        {
            ArgumentException.ThrowIfNullOrEmpty(sha256);
            return DecideByContent(now, previous, sha256);
        }
        var why = Difference(now, previous);
        if (why == ChangeReason.None) { return new EntryDecision.Unchanged(previous!); }
        return why == ChangeReason.New && MovedHere(now, sha256) is { } moved
            ? new EntryDecision.Reference(moved, ChangeReason.New)
            : new EntryDecision.Store(why);
    }

    /// <summary>
    /// Metadata mode: the bytes of the base file that <paramref name="now"/> is, moved — same device, inode, size and
    /// mtime, and the same SHA-256. The content check is what makes it safe: a rename moves the ctime, so an edit
    /// that kept size and mtime before the rename would otherwise pass for a plain move and restore the old bytes.
    /// </summary>
    private ContentLocation? MovedHere(EntryFacts now, string? sha256) =>
        moves?.Find(now) is { Location: { } at, Sha256: { } was } && string.Equals(was, sha256, StringComparison.OrdinalIgnoreCase) ? at : null;

    private EntryDecision DecideByContent(EntryFacts now, CatalogEntry? previous, string sha256)
    {
        var why = Difference(now, previous);
        if (previous is { Location: { } location } && string.Equals(previous.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return why == ChangeReason.None ? new EntryDecision.Unchanged(previous) : new EntryDecision.Reference(location, why);
        }
        if (held?.Find(sha256) is { } elsewhere) { return new EntryDecision.Reference(elsewhere, why == ChangeReason.None ? ChangeReason.Content : why); }
        return new EntryDecision.Store(why == ChangeReason.None ? ChangeReason.Content : why);
    }

    /// <summary>
    /// The first difference between <paramref name="now"/> and <paramref name="previous"/>, or <see cref="ChangeReason.None"/>.
    /// A field either side does not know (null) is not a difference.
    /// </summary>
    public static ChangeReason Difference(EntryFacts now, CatalogEntry? previous)
    {
        ArgumentNullException.ThrowIfNull(now);
        if (previous is null || previous.IsRemoval) { return ChangeReason.New; }
        if (previous.Type != now.Type) { return ChangeReason.Type; }
        if (now.Type == EntryType.File && previous.Size != now.Size) { return ChangeReason.Size; }
        if (!SameMtime(previous.MtimeNs, now.MtimeNs)) { return ChangeReason.Mtime; }
        if (Differs(previous.CtimeNs, now.CtimeNs)) { return ChangeReason.Ctime; }
        if (Differs(previous.Inode, now.Inode)) { return ChangeReason.Inode; }
        if (Differs(previous.Device, now.Device)) { return ChangeReason.Device; }
        if (Differs(previous.Mode, now.Mode)) { return ChangeReason.Mode; }
        if (Differs(previous.Uid, now.Uid) || Differs(previous.Gid, now.Gid)) { return ChangeReason.Owner; }
        if (now.Type == EntryType.Symlink && !string.Equals(previous.Link, now.LinkTarget, StringComparison.Ordinal)) { return ChangeReason.LinkTarget; }
        if (previous.Location is null || (now.Type == EntryType.File && previous.Sha256 is null)) { return ChangeReason.NoLocation; }
        return ChangeReason.None;
    }

    private static bool Differs<T>(T? was, T? now) where T : struct => was.HasValue && now.HasValue && !was.Value.Equals(now.Value);

    /// <summary>
    /// Runs logged before catalogs recorded mtime in .NET ticks (100 ns): such a base matches a nanosecond mtime
    /// that truncates to it, so the first snapshot run after an upgrade does not store everything again.
    /// </summary>
    private static bool SameMtime(long? was, long now) =>
        was is not { } recorded || recorded == now || (recorded % 100 == 0 && now / 100 * 100 == recorded);
}
