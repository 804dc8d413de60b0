using System.CommandLine;
using System.Globalization;
using AutoGlacier.Cli.Output;
using AutoGlacier.Migration;

namespace AutoGlacier.Cli.Commands.Migration;

/// <summary><c>autoglacier migrate</c>: move runs from a Glacier vault to the S3 backend of another configuration.</summary>
internal static class MigrateCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var to = new Option<string>("--to") { Description = "Configuration of the S3 backend to move into (BACKEND s3)", Required = true };
        var runs = new Option<string[]>("--run") { Description = "Run key to move (repeatable)" };
        var all = new Option<bool>("--all") { Description = "Every run stored in a Glacier vault" };
        var plan = new Option<bool>("--plan") { Description = "Only show what would move and how long the retrievals take" };
        var deleteSource = new Option<bool>("--delete-source") { Description = "Delete the vault copy once the S3 copy is verified (not before the vault's 90-day minimum)" };
        var early = new Option<bool>("--allow-early-deletion") { Description = "With --delete-source: also delete vault copies younger than 90 days (billed for the rest)" };
        var command = new Command("migrate", "Move archives from a Glacier vault into S3 (DEEP_ARCHIVE by default), still encrypted, checked against the log; " +
            "the run records its new location and keeps the old one in its history. Retrievals default to Bulk; a migration cut short resumes where it stopped.")
            { config, to, runs, all, plan, deleteSource, early };
        var retrieval = CommonOptions.Retrieval(command);
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var keys = parsed.GetValue(runs) ?? [];
            if (keys.Length > 0 == parsed.GetValue(all))
            {
                await console.Error.WriteLineAsync("error: name the runs with --run KEY (repeatable) or --all, not both.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var options = retrieval.Read(parsed);
            var result = await MigrationRunner.RunAsync(new MigrationRequest
            {
                Source = CliConsole.LoadConfig(parsed.GetValue(config)),
                Target = CliConsole.LoadConfig(parsed.GetValue(to)),
                RunKeys = keys,
                All = parsed.GetValue(all),
                Retrieval = options with { Tier = options.Tier ?? "Bulk" },
                PlanOnly = parsed.GetValue(plan),
                DeleteSource = parsed.GetValue(deleteSource),
                AllowEarlyDeletion = parsed.GetValue(early),
                Logger = console.Logger,
            }, cancellationToken).ConfigureAwait(false);
            await WriteAsync(console, result, parsed.GetValue(plan), options.Tier ?? "Bulk").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task WriteAsync(CliConsole console, MigrationResult result, bool plan, string tier)
    {
        long total = result.Runs.Sum(r => Math.Max(r.Size, 0));
        if (console.IsJson)
        {
            var runs = result.Runs.Select(r => new MigratedRunJson(r.RunKey, r.From, r.To, r.Size, r.BytesDownloaded, r.PartsUploaded, r.SourceDeleted, r.Note,
                r.CatalogTo, r.CatalogBytesDownloaded)).ToList();
            await console.WriteJsonAsync(new MigrateJson("migrate", ExitCodes.Success, plan, tier, total, runs), CliJsonContext.Relaxed.MigrateJson).ConfigureAwait(false);
            return;
        }

        foreach (var run in result.Runs)
        {
            string line = plan
                ? $"would move run {run.RunKey}: {run.Size} bytes from {run.From}{(run.Note is null ? "" : " (" + run.Note + ")")}"
                : $"moved run {run.RunKey}: {run.Size} bytes from {run.From} to {run.To} ({run.BytesDownloaded} bytes downloaded, {run.PartsUploaded} parts uploaded now)" +
                  (run.CatalogTo is null || run.CatalogTo == run.To ? "" : $"; snapshot catalog to {run.CatalogTo}") +
                  (run.SourceDeleted ? "; vault copy deleted" : "") + (run.Note is null ? "" : "; " + run.Note);
            await console.Out.WriteLineAsync(line).ConfigureAwait(false);
        }

        string wait = tier switch { "Expedited" => "1-5 minutes", "Standard" => "3-5 hours", _ => "5-12 hours" };
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{(plan ? "Plan" : "Moved")}: {result.Runs.Count} run(s), {total} bytes; {tier} retrievals from a Glacier vault take {wait}.")).ConfigureAwait(false);
    }
}
