using System.CommandLine;
using System.Globalization;
using AutoGlacier.Cli.Output;
using AutoGlacier.Log;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier list</c>: the runs in the log.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var command = new Command("list", "List the runs recorded in the JSON log.") { config };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var log = new JsonRunLog(CliConsole.LoadConfig(parsed.GetValue(config)).JsonDatabase);
            var runs = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
            var listed = runs.Select(run => RunListing.Describe(run.Key, run.Value)).ToList();
            var records = runs.ToDictionary(run => run.Key, run => run.Value, StringComparer.Ordinal);
            if (console.IsJson)
            {
                await console.WriteJsonAsync(new ListJson("list", ExitCodes.Success, listed), CliJsonContext.Relaxed.ListJson).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await console.Out.WriteLineAsync($"{"RUN KEY",-18} {"STARTED (UTC)",-19} {"STATUS",-23} {"FILES STORED",14} {"ARCHIVE BYTES",14}  {"SNAPSHOT",-34} DESCRIPTION").ConfigureAwait(false);
            foreach (var run in listed)
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{run.RunKey,-18} {RunListing.StartedColumn(run),-19} {run.Status,-23} {RunListing.FilesColumn(run),14} {run.ArchiveSize,14}  {RunListing.SnapshotColumn(run),-34} {AutoGlacier.Migration.Seed.SeedRunDisplay.Describe(records[run.RunKey])}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
