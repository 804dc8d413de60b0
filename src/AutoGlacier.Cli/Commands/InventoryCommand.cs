using System.CommandLine;
using AutoGlacier.Cli.Output;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier inventory</c>: compares the vault's inventory with the log.</summary>
internal static class InventoryCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var wait = new Option<bool>("--wait")
        {
            Description = $"Glacier: wait for the inventory job (hours), checking every --poll-interval, instead of exiting {ExitCodes.Pending} while it runs",
        };
        var pollInterval = new Option<TimeSpan?>("--poll-interval")
        {
            Description = "With --wait: check the inventory job this often (e.g. 5m, 1h). Default: 15m",
            CustomParser = CommonOptions.RetrievalOptionSet.Duration,
        };
        var maxWait = new Option<TimeSpan?>("--max-wait")
        {
            Description = $"With --wait: stop waiting after this long (e.g. 6h) and exit {ExitCodes.Pending}. Default: no limit",
            CustomParser = CommonOptions.RetrievalOptionSet.Duration,
        };
        var command = new Command("inventory",
            $"Compare the vault's archives with the log (S3: lists the prefix; Glacier: an inventory job, hours; while it runs the command exits {ExitCodes.Pending}, run it again later, or give --wait).")
        {
            config, wait, pollInterval, maxWait,
        };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            InventoryReport report;
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            try
            {
                var waiting = new InventoryWait
                {
                    Wait = parsed.GetValue(wait),
                    PollInterval = parsed.GetValue(pollInterval) ?? InventoryWait.DefaultPollInterval,
                    MaxWait = parsed.GetValue(maxWait),
                };
                report = await InventoryReconciler.ReconcileAsync(settings, waiting, console.InventoryProgress(), cancellationToken).ConfigureAwait(false);
            }
            catch (InventoryPendingException ex)
            {
                if (console.IsJson)
                {
                    await console.WriteJsonAsync(new InventoryJson("inventory", ExitCodes.Pending, Pending: true, ex.Message, 0, false, [], [], []),
                        CliJsonContext.Relaxed.InventoryJson).ConfigureAwait(false);
                    return ExitCodes.Pending;
                }
                await console.Out.WriteLineAsync("pending: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Pending;
            }

            int exitCode = report.Consistent ? ExitCodes.Success : ExitCodes.Error;
            if (console.IsJson)
            {
                await console.WriteJsonAsync(Json(report, exitCode), CliJsonContext.Relaxed.InventoryJson).ConfigureAwait(false);
                return exitCode;
            }

            foreach (var archive in report.UnknownToLog)
            {
                await console.Out.WriteLineAsync($"unknown to the log: archive {archive.ArchiveId} ({archive.Size} bytes, {archive.CreatedAt:u}, run key {archive.RunKey ?? "-"}, \"{archive.Description}\")").ConfigureAwait(false);
            }

            foreach (var (runKey, archiveId) in report.MissingFromVault)
            {
                string hint = report.VaultCapabilities is { ListingLag: not null } vault ? $" (a run from the last day may not be in {vault.StorageName}'s inventory yet)" : "";
                await console.Out.WriteLineAsync($"missing from the vault: run {runKey} archive {archiveId}{hint}").ConfigureAwait(false);
            }

            foreach (var (runKey, archiveId, logSize, vaultSize) in report.SizeMismatches)
            {
                await console.Out.WriteLineAsync($"size differs: run {runKey} archive {archiveId}: log {logSize} bytes, vault {vaultSize} bytes").ConfigureAwait(false);
            }

            await console.Out.WriteLineAsync($"{report.ArchivesInVault} archive(s) in the vault; " + (report.Consistent ? "the vault and the log agree." : "differences listed above.")).ConfigureAwait(false);
            return exitCode;
        }));
        return command;
    }

    private static InventoryJson Json(InventoryReport report, int exitCode) => new("inventory", exitCode, Pending: false, null, report.ArchivesInVault, report.Consistent,
        report.UnknownToLog.Select(a => new VaultArchiveJson(a.ArchiveId, a.Size, a.CreatedAt.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture), a.RunKey, a.Description)).ToList(),
        report.MissingFromVault.Select(m => new MissingJson(m.RunKey, m.ArchiveId)).ToList(),
        report.SizeMismatches.Select(m => new SizeMismatchJson(m.RunKey, m.ArchiveId, m.LogSize, m.VaultSize)).ToList());
}
