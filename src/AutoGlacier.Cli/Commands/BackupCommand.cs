using System.CommandLine;
using AutoGlacier.Cli.Output;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier backup</c>: a backup without writing a job class (the seed's auto_glacier()).</summary>
internal static class BackupCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var file = new Option<string[]>("--file") { Description = "A path to back up (repeatable)", AllowMultipleArgumentsPerToken = false };
        var glob = new Option<string[]>("--glob") { Description = "A glob whose matches are backed up (repeatable; *, ?, [..], **)" };
        var description = new Option<string>("--description") { Description = "Archive description", DefaultValueFactory = _ => "autoglacier backup" };
        var recursive = new Option<bool>("--recursive") { Description = "Store directories given with --file with everything below them" };
        var job = new Option<string>("--job")
        {
            Description = "The job name: runs of one job into one vault form a series whose snapshots build on each other (BACKUP_MODE)",
            DefaultValueFactory = _ => "cli",
        };
        var full = new Option<bool>("--full") { Description = "Make this run a full snapshot (store everything) whatever BACKUP_MODE and FULL_EVERY say" };
        var command = new Command("backup", "Back up files into the configured vault.") { config, file, glob, description, recursive, job, full };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var files = parsed.GetValue(file) ?? [];
            var globs = parsed.GetValue(glob) ?? [];
            if (files.Length + globs.Length == 0)
            {
                return await console.UsageErrorAsync("nothing to back up: give at least one --file or --glob.").ConfigureAwait(false);
            }
            var configPath = parsed.GetValue(config);
            var progress = new LastReport<BackupProgress>(console.BackupProgress());
            var result = await BackupRunner.RunAsync(new BackupRequest
            {
                Config = () => CliConsole.LoadConfig(configPath),
                Files = files,
                Globs = globs,
                Description = parsed.GetValue(description)!,
                RecurseDirectories = parsed.GetValue(recursive),
                JobName = parsed.GetValue(job)!,
                ForceFull = parsed.GetValue(full),
                Logger = console.Logger,
                Progress = progress,
            }, cancellationToken).ConfigureAwait(false);
            await ReportAsync(console, result, progress.Last).ConfigureAwait(false);
            return result.ExitCode;
        }));
        return command;
    }

    private static async Task ReportAsync(CliConsole console, BackupResult result, BackupProgress? last)
    {
        bool stored = result.ArchiveId is not null;
        if (console.IsJson)
        {
            // files_stored counts files in a stored archive (as in list); files_read how far the run got.
            await console.WriteJsonAsync(new BackupJson("backup", result.ExitCode, result.RunKey, result.Status, result.ArchiveId, result.ArchiveSize,
                stored ? result.FilesStored : 0, result.FilesStored, last?.FilesTotal, result.FilesSkipped, result.FilesChanged, result.PlaintextSize,
                Units.Seconds(result.Elapsed), result.Warnings, result.Error) { Snapshot = result.Snapshot }, CliJsonContext.Relaxed.BackupJson).ConfigureAwait(false);
        }
        else if (result.RunKey is not null) // failures were already reported by the logger
        {
            await console.Out.WriteLineAsync(BackupOutcome.ResultLine(result, last)).ConfigureAwait(false);
        }
    }
}
