using System.CommandLine;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier inventory</c>: compares the vault's inventory with the log.</summary>
internal static class InventoryCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var command = new Command("inventory",
            $"Compare the vault's archives with the log (S3: lists the prefix; Glacier: an inventory job, hours; while it runs the command exits {ExitCodes.Pending}, run it again later).")
        {
            config,
        };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            InventoryReport report;
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            try
            {
                report = await InventoryReconciler.ReconcileAsync(settings, cancellationToken).ConfigureAwait(false);
            }
            catch (InventoryPendingException ex)
            {
                await console.Out.WriteLineAsync("pending: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Pending;
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
            return report.Consistent ? ExitCodes.Success : ExitCodes.Error;
        }));
        return command;
    }
}
