using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Commands;

/// <summary>The closing lines of restore and verify.</summary>
internal static class Report
{
    public static async Task WriteAsync(CliConsole console, string verb, RestoreResult result)
    {
        foreach (var problem in result.Problems)
        {
            await console.Error.WriteLineAsync("problem: " + problem).ConfigureAwait(false);
        }
        await console.Out.WriteLineAsync(
            $"{verb} run {result.RunKey ?? "(not in log)"} archive {result.ArchiveId}: {result.EntriesProcessed} entries, " +
            $"{result.FilesVerified} files verified, {result.Bytes} bytes, {result.Problems.Count} problem(s).").ConfigureAwait(false);
    }
}
