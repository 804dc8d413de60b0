using System.Globalization;
using AutoGlacier.Configuration;

namespace AutoGlacier.Snapshots;

/// <summary>A run's snapshot settings, from BACKUP_MODE, FULL_EVERY and CHANGE_DETECTION.</summary>
/// <param name="Mode">What each run is based on.</param>
/// <param name="FullEvery">The age of the last full that forces a new one; null for never.</param>
/// <param name="Detection">How unchanged files are recognised.</param>
internal sealed record SnapshotSettings(BackupMode Mode, TimeSpan? FullEvery, ChangeDetection Detection)
{
    /// <summary>BACKUP_MODE's values, for messages.</summary>
    public const string ModeList = "incremental, differential, full";

    /// <summary>CHANGE_DETECTION's values, for messages.</summary>
    public const string DetectionList = "metadata, content";

    /// <summary>The settings of <paramref name="config"/>; FULL_EVERY's default comes from the storage's minimum billable days.</summary>
    /// <exception cref="ConfigurationException">A value breaks the rules (<see cref="Check"/> says which).</exception>
    public static SnapshotSettings From(GteuConfig config, int? minimumStorageDays)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (Check(config).FirstOrDefault() is { } problem) { throw new ConfigurationException(problem); }
        return new SnapshotSettings(ParseMode(config.BackupMode)!.Value,
            config.FullEvery is null ? FullEveryDefaults.For(minimumStorageDays) : ParseFullEvery(config.FullEvery)!.Value.Limit,
            ParseDetection(config.ChangeDetection)!.Value);
    }

    /// <summary>Every rule the snapshot keys of <paramref name="config"/> break.</summary>
    public static IEnumerable<string> Check(GteuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (ParseMode(config.BackupMode) is null)
        {
            yield return $"{ConfigKeys.BackupMode} = \"{config.BackupMode}\" is not a backup mode; allowed: {ModeList}.";
        }
        if (config.FullEvery is { } every && ParseFullEvery(every) is null)
        {
            yield return $"{ConfigKeys.FullEvery} = \"{every}\" is not a duration; allowed: a number of days such as \"180d\" (at least 1), \"never\", or null for the storage's default.";
        }
        if (ParseDetection(config.ChangeDetection) is null)
        {
            yield return $"{ConfigKeys.ChangeDetection} = \"{config.ChangeDetection}\" is not a change detection; allowed: {DetectionList}.";
        }
    }

    /// <summary>The log's name of <paramref name="detection"/>.</summary>
    public static string NameOf(ChangeDetection detection) => detection == ChangeDetection.Content ? "content" : "metadata";

    private static BackupMode? ParseMode(string? mode) => mode switch
    {
        "incremental" => BackupMode.Incremental,
        "differential" => BackupMode.Differential,
        "full" => BackupMode.Full,
        _ => null,
    };

    private static ChangeDetection? ParseDetection(string? detection) => detection switch
    {
        "metadata" => ChangeDetection.Metadata,
        "content" => ChangeDetection.Content,
        _ => null,
    };

    /// <summary>"180d" → 180 days; "never" → no limit; anything else → null.</summary>
    private static (TimeSpan? Limit, bool Valid)? ParseFullEvery(string text)
    {
        if (text == "never") { return (null, true); }
        return text.EndsWith('d') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days >= 1
            ? (TimeSpan.FromDays(days), true)
            : null;
    }
}
