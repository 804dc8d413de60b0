namespace AutoGlacier.Migration.Seed;

/// <summary>Where a run in the log came from (<see cref="Log.RunRecord.Origin"/>); null means AutoGlacier made it.</summary>
internal static class SeedOrigins
{
    /// <summary>Written by the Python seed (AutoGlacier GTEU) into the same JSON log; its record is never rewritten.</summary>
    public const string JsonLog = "seed";

    /// <summary>Imported from the SQLite database of the seed's successor, glacierbackup (<c>autoglacier import-seed</c>).</summary>
    public const string GlacierBackup = "glacierbackup";

    /// <summary>True for runs made by the seed or its successor (their archives use the seed's format).</summary>
    public static bool IsSeed(string? origin) => origin is JsonLog or GlacierBackup;
}
