using System.CommandLine;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier resume</c>: finishes uploads that a dead or failed backup left in the spool.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var job = new Option<string>("--job") { Description = "Only runs of this job (the job class name); default: every unfinished run" };
        var command = new Command("resume", "Finish interrupted uploads from their spool (runs with status 'uploading' or 'interrupted'); " +
            "runs whose archive never completed are marked failed and their upload aborted.")
        {
            config, job,
        };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            var results = await UploadResume.ResumeAsync(settings, parsed.GetValue(job), console.Logger, cancellationToken).ConfigureAwait(false);
            foreach (var result in results)
            {
                await console.Out.WriteLineAsync($"{result.RunKey}: {result.Outcome.Name()}: {result.Message}").ConfigureAwait(false);
            }

            if (results.Count == 0)
            {
                await console.Out.WriteLineAsync("Nothing to resume: every run in the log is finished.").ConfigureAwait(false);
            }

            return results.Any(r => r.Outcome == ResumeOutcome.Failed) ? ExitCodes.Error : ExitCodes.Success;
        }));
        return command;
    }
}
