using AutoGlacier.Cli.Output;
using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Commands;

/// <summary>The closing lines (or JSON document) of restore and verify.</summary>
internal static class Report
{
    public static async Task WriteAsync(CliConsole console, string command, RestoreResult result, TimeSpan elapsed)
    {
        foreach (var problem in result.Problems)
        {
            await console.Error.WriteLineAsync("problem: " + problem).ConfigureAwait(false);
        }

        if (console.IsJson)
        {
            await console.WriteJsonAsync(new RestoreJson(command, result.ExitCode, result.RunKey, result.ArchiveId, result.EntriesProcessed,
                result.FilesVerified, result.Bytes, result.SkippedSymlinks, result.Problems, Units.Seconds(elapsed),
                result.Plan.Count == 0 ? null : result.Plan.Select(PlannedArchiveJson.Of).ToList()), CliJsonContext.Relaxed.RestoreJson).ConfigureAwait(false);
            return;
        }

        string verb = command == "restore" ? "Restored" : "Verified";
        string skipped = result.SkippedSymlinks.Count > 0 ? $", {result.SkippedSymlinks.Count} external symlink(s) left out" : "";
        await console.Out.WriteLineAsync(
            $"{verb} run {result.RunKey ?? "(not in log)"} {(result.Plan.Count > 0 ? $"from {result.Plan.Count} archive(s)" : $"archive {result.ArchiveId}")}: {result.EntriesProcessed} entries, " +
            $"{result.FilesVerified} files verified, {result.Bytes} bytes{skipped}, {result.Problems.Count} problem(s) in {Units.Duration(elapsed)}.").ConfigureAwait(false);
    }
}
