using System.CommandLine;
using AutoGlacier.Cli.Output;
using AutoGlacier.Log;
using AutoGlacier.Migration.Seed;

namespace AutoGlacier.Cli.Commands.Migration;

/// <summary><c>autoglacier import-seed</c>: glacierbackup's SQLite jobs into the JSON log as seed runs.</summary>
internal static class ImportSeedCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var database = new Option<string>("--database") { Description = "glacierbackup's SQLite database (opened read-only, never written)", Required = true };
        var command = new Command("import-seed", "Add the backup jobs of glacierbackup (the Python tool's successor) to the JSON log as seed runs, " +
            "so list, restore, verify and migrate see them. A job already imported is skipped.") { config, database };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            var result = await GlacierBackupImport.ImportAsync(parsed.GetValue(database)!, new JsonRunLog(settings.JsonDatabase), settings.TmpDir, cancellationToken)
                .ConfigureAwait(false);
            if (console.IsJson)
            {
                await console.WriteJsonAsync(new ImportSeedJson("import-seed", ExitCodes.Success, Path.GetFullPath(settings.JsonDatabase), result.Imported, result.AlreadyPresent),
                    CliJsonContext.Relaxed.ImportSeedJson).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            foreach (var key in result.Imported) { await console.Out.WriteLineAsync($"imported run {key}").ConfigureAwait(false); }
            await console.Out.WriteLineAsync($"Imported {result.Imported.Count} job(s) into {settings.JsonDatabase}; {result.AlreadyPresent} already there.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
