using System.CommandLine;
using AutoGlacier.Cli.Output;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier delete</c>: deletes a run's archive from the vault and records it in the log.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var run = new Option<string>("--run") { Description = "Run key from the log (see 'autoglacier list')", Required = true };
        var command = new Command("delete", "Delete a run's archive from the vault and record it in the log. Warns when the archive is younger than its storage's " +
            "minimum billable duration (Glacier vault, S3 GLACIER and GLACIER_IR 90 days, S3 DEEP_ARCHIVE 180, S3 STANDARD_IA 30).")
        {
            config, run,
        };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            string runKey = parsed.GetValue(run)!;
            (string archiveId, string? warning) = await RunDeletion.DeleteAsync(settings, runKey, cancellationToken).ConfigureAwait(false);
            if (warning is not null)
            {
                await console.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            if (console.IsJson)
            {
                await console.WriteJsonAsync(new DeleteJson("delete", ExitCodes.Success, runKey, archiveId, warning), CliJsonContext.Relaxed.DeleteJson).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await console.Out.WriteLineAsync($"Deleted archive {archiveId} of run {runKey}; the log records the deletion.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
