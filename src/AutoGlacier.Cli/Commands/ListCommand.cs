using System.CommandLine;
using System.Globalization;
using AutoGlacier.Log;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier list</c>: the runs in the log.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var json = new Option<bool>("--json") { Description = "Print the runs as JSON (without file lists)" };
        var command = new Command("list", "List the runs recorded in the JSON log.") { config, json };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var log = new JsonRunLog(CliConsole.LoadConfig(parsed.GetValue(config)).JsonDatabase);
            var runs = File.Exists(log.Path) ? await log.ListRunsAsync(cancellationToken).ConfigureAwait(false) : [];
            if (parsed.GetValue(json))
            {
                await JsonRunLog.WriteRunListAsync(console.Out, runs, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            await console.Out.WriteLineAsync($"{"RUN KEY",-18} {"STARTED (UTC)",-19} {"STATUS",-23} {"FILES",7} {"ARCHIVE BYTES",14}  DESCRIPTION").ConfigureAwait(false);
            foreach (var (key, run) in runs)
            {
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{key,-18} {run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} {run.Status,-23} {run.FilesStored,7} {run.ArchiveSize,14}  {AutoGlacier.Migration.Seed.SeedRunDisplay.Describe(run)}")).ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
