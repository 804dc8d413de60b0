using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Output;

/// <summary>What a progress report looks like to a person: the live status lines, and the one-line form for logs.</summary>
internal static class ProgressView
{
    public static IReadOnlyList<string> Backup(BackupProgress p)
    {
        if (p.Phase == BackupPhase.Surveying)
        {
            return [$"backup surveying: {Units.Count(p.FilesTotal)} entries, {Units.Bytes(p.BytesTotal)} of files found, {Units.Duration(p.Elapsed)} elapsed"];
        }
        string eta = p.EstimatedRemaining is { } left ? "  ETA " + Units.Duration(left) : "";
        string head = $"backup {p.Phase}: {Units.Count(p.FilesDone)}/{Units.Count(p.FilesTotal)} files, " +
            $"{Units.Bytes(p.BytesRead)}/{Units.Bytes(p.BytesTotal)}{Units.Percent(p.BytesRead, p.BytesTotal)} read at {Units.Rate(p.BytesPerSecond)}, " +
            $"archive {Units.Bytes(p.BytesWritten)}, {Units.Duration(p.Elapsed)} elapsed{eta}";
        string uploaded = p.BytesUploaded is { } up
            ? $"  uploaded {Units.Bytes(up)}/{Units.Bytes(p.BytesWritten)}{Units.Percent(up, p.BytesWritten)}" +
              (p.UploadBytesPerSecond is { } rate ? $" at {Units.Rate(rate)}" : "")
            : "";
        string detail = uploaded + (p.PartsInFlight is { } parts ? $"  {Units.Count(parts)} part(s) in flight" : "");
        return p.CurrentFile is { } file && p.Phase == BackupPhase.Reading ? [head, detail.Length > 0 ? detail + "  " + file : "  " + file]
            : detail.Length > 0 ? [head, detail] : [head];
    }

    /// <summary>The most archives a snapshot restore shows a line for (the rest are counted).</summary>
    private const int ArchiveLines = 6;

    public static IReadOnlyList<string> Restore(string verb, RestoreProgress p) =>
        p.Archives is { } archives ? [.. SingleArchive(verb, p), .. ArchiveStates(archives)] : SingleArchive(verb, p);

    /// <summary>A snapshot's plan, printed before anything is requested.</summary>
    public static IReadOnlyList<string> Plan(string verb, IReadOnlyList<ArchiveProgress> archives)
    {
        var (entries, files, bytes) = (archives.Sum(a => a.Archive.Entries), archives.Sum(a => a.Archive.Files), archives.Sum(a => a.Archive.Bytes));
        long? stored = archives.All(a => a.Archive.ArchiveSize is not null) ? archives.Sum(a => a.Archive.ArchiveSize!.Value) : null;
        return [$"{verb} plan: {Units.Count(archives.Count)} archive(s){(stored is { } total ? $" ({Units.Bytes(total)} to retrieve)" : "")}, " +
                $"{Units.Count(entries)} entries, {Units.Count(files)} files, {Units.Bytes(bytes)} of files",
            .. archives.Select(a => $"  archive {a.Archive.ArchiveId} of run {a.Archive.RunKey}: {Units.Count(a.Archive.Entries)} entries, " +
                $"{Units.Count(a.Archive.Files)} files, {Units.Bytes(a.Archive.Bytes)}" +
                (a.Archive.ArchiveSize is { } size ? $" (archive {Units.Bytes(size)})" : ""))];
    }

    private static IEnumerable<string> ArchiveStates(IReadOnlyList<ArchiveProgress> archives)
    {
        foreach (var a in archives.Take(ArchiveLines))
        {
            string size = a.Archive.ArchiveSize is { } total ? $"/{Units.Bytes(total)}" : "";
            string state = a.Phase switch
            {
                ArchivePhase.Waiting => "waiting for its retrieval" + (a.Retrieval is { } r ? $" ({r.State})" : ""),
                ArchivePhase.Downloading or ArchivePhase.Extracting or ArchivePhase.Done =>
                    $"{a.Phase} {Units.Bytes(a.ArchiveBytesRead)}{size}, {Units.Count(a.EntriesDone)}/{Units.Count(a.Archive.Entries)} entries",
                _ => a.Phase,
            };
            yield return $"  run {a.Archive.RunKey}: {state}";
        }
        if (archives.Count > ArchiveLines) { yield return $"  … and {archives.Count - ArchiveLines} more archive(s)"; }
    }

    private static IReadOnlyList<string> SingleArchive(string verb, RestoreProgress p)
    {
        if (p.Retrieval is { } wait)
        {
            return [$"{verb}: waiting for the archive's retrieval ({Units.Duration(wait.Waited)} so far; next check {wait.NextCheck.ToLocalTime():HH:mm:ss})",
                "  " + wait.State];
        }

        string eta = p.EstimatedRemaining is { } left ? "  ETA " + Units.Duration(left) : "";
        string size = p.ArchiveSize is { } total ? $"/{Units.Bytes(total)}{Units.Percent(p.ArchiveBytesRead, total)}" : "";
        string entries = p.EntriesTotal is { } all ? $"{Units.Count(p.EntriesDone)}/{Units.Count(all)}" : Units.Count(p.EntriesDone);
        string head = $"{verb} {p.Phase}: archive {Units.Bytes(p.ArchiveBytesRead)}{size} at {Units.Rate(p.BytesPerSecond)}, " +
            $"{entries} entries, {Units.Bytes(p.FileBytes)} of files, {Units.Duration(p.Elapsed)} elapsed{eta}";
        return p.CurrentEntry is { } entry ? [head, "  " + entry] : [head];
    }

    public static IReadOnlyList<string> Resume(ResumeProgress p)
    {
        string eta = p.EstimatedRemaining is { } left && p.Phase != ResumePhase.Done ? "  ETA " + Units.Duration(left) : "";
        string rate = p.BytesPerSecond is { } perSecond ? $" at {Units.Rate(perSecond)}" : "";
        string inFlight = p.PartsInFlight > 0 ? $" ({Units.Count(p.PartsInFlight)} in flight)" : "";
        return [$"resume {p.Phase}: run {p.RunNumber}/{p.RunCount} {p.RunKey}, part {Units.Count(p.PartsDone)}/{Units.Count(p.PartsTotal)}{inFlight}, " +
            $"{Units.Bytes(p.BytesUploaded)}/{Units.Bytes(p.ArchiveSize)}{Units.Percent(p.BytesUploaded, p.ArchiveSize)} uploaded{rate}, " +
            $"{Units.Duration(p.Elapsed)} elapsed{eta}"];
    }

    public static IReadOnlyList<string> Inventory(InventoryProgress p)
    {
        if (p.Waiting is { } wait)
        {
            return [$"inventory: waiting for the vault's inventory job ({Units.Duration(wait.Waited)} so far; next check {wait.NextCheck.ToLocalTime():HH:mm:ss})",
                "  " + wait.State];
        }

        string counts = p.UnknownToLog is { } unknown
            ? $"; {Units.Count(unknown)} unknown to the log, {Units.Count(p.MissingFromVault ?? 0)} missing from the vault, {Units.Count(p.SizeMismatches ?? 0)} size mismatch(es)"
            : "";
        return [$"inventory {p.Phase}: {Units.Count(p.ArchivesListed)} archive(s) listed, {Units.Count(p.RunsInLog)} run(s) in the log{counts}, " +
            $"{Units.Duration(p.Elapsed)} elapsed"];
    }
}
