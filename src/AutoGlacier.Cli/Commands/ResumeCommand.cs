using System.CommandLine;
using AutoGlacier.Cli.Output;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier resume</c>: finishes uploads that a dead or failed backup left in the spool.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var job = new Option<string>("--job") { Description = "Only runs of this job (the job class name); default: every unfinished run" };
        var command = new Command("resume", "Finish interrupted uploads from their spool (runs with status 'uploading' or 'interrupted'); " +
            "runs whose process died before the archive was complete are marked failed, their upload aborted or (local vault) their temporary archive removed.")
        {
            config, job,
        };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            var results = await UploadResume.ResumeAsync(settings, parsed.GetValue(job), console.Logger, console.ResumeProgress(), cancellationToken).ConfigureAwait(false);
            int exitCode = results.Any(r => r.Outcome == ResumeOutcome.Failed) ? ExitCodes.Error : ExitCodes.Success;
            if (console.IsJson)
            {
                var runs = results.Select(r => new ResumeRunJson(r.RunKey, r.Outcome.Name(), r.Message, r.ArchiveId)).ToList();
                await console.WriteJsonAsync(new ResumeJson("resume", exitCode, runs), CliJsonContext.Relaxed.ResumeJson).ConfigureAwait(false);
                return exitCode;
            }

            foreach (var result in results)
            {
                await console.Out.WriteLineAsync($"{result.RunKey}: {result.Outcome.Name()}: {result.Message}").ConfigureAwait(false);
            }

            if (results.Count == 0)
            {
                await console.Out.WriteLineAsync("Nothing to resume: every run in the log is finished.").ConfigureAwait(false);
            }

            return exitCode;
        }));
        return command;
    }
}
