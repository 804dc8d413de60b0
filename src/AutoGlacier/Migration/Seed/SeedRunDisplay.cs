using AutoGlacier.Log;

namespace AutoGlacier.Migration.Seed;

/// <summary>How <c>autoglacier list</c> describes a run's last column: seed runs are marked and name their vault and archive.</summary>
internal static class SeedRunDisplay
{
    /// <summary>The description, preceded for seed runs by a mark, the vault and the archive id.</summary>
    public static string Describe(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!SeedOrigins.IsSeed(run.Origin)) { return run.Description; }
        string archive = run.ArchiveId is null ? "no archive" : $"archive {run.ArchiveId}";
        return $"[{run.Origin} run] {run.VaultLocation ?? "vault unknown"} {archive}  {run.Description}";
    }
}
