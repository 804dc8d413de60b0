using System.CommandLine;
using AutoGlacier.Cli.Output;
using AutoGlacier.Recovery;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier recover</c>: rebuilds the log's runs from the snapshot catalogs in the vault.</summary>
internal static class RecoverCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var privateKey = new Option<string>("--private-key") { Description = "Private key of one of the backups' recipients (the catalogs are encrypted)", Required = true };
        var command = new Command("recover",
            "Rebuild the log from the vault alone (after losing the backup machine): every snapshot catalog of a run the log lacks is retrieved, " +
            "decrypted, checked, written beside the log, and its run added. Runs already in the log are left alone. Glacier: an inventory job and " +
            $"catalog retrievals take hours; with --no-wait (or while the inventory is pending) the command exits {ExitCodes.Pending}: run it again later.")
            { config, privateKey };
        var retrieval = CommonOptions.Retrieval(command);
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            RecoveryResult result;
            try
            {
                result = await RecoveryRunner.RunAsync(new RecoveryRequest
                {
                    Config = settings,
                    PrivateKeyPath = parsed.GetValue(privateKey)!,
                    Passphrase = Passphrases.ForExistingKey(settings.RsaPassphrase, console.Error),
                    Retrieval = retrieval.Read(parsed),
                    Logger = console.Logger,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (InventoryPendingException ex)
            {
                return await WriteAsync(console, null, ex.Message).ConfigureAwait(false);
            }

            return await WriteAsync(console, result, null).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> WriteAsync(CliConsole console, RecoveryResult? result, string? inventoryPending)
    {
        int exitCode = result?.ExitCode ?? ExitCodes.Pending;
        if (console.IsJson)
        {
            await console.WriteJsonAsync(Json(result, inventoryPending, exitCode), CliJsonContext.Relaxed.RecoverJson).ConfigureAwait(false);
            return exitCode;
        }

        if (result is null)
        {
            await console.Out.WriteLineAsync("pending: " + inventoryPending).ConfigureAwait(false);
            return exitCode;
        }

        foreach (string runKey in result.Recovered) { await console.Out.WriteLineAsync($"recovered: run {runKey}").ConfigureAwait(false); }
        foreach (string runKey in result.AlreadyPresent) { await console.Out.WriteLineAsync($"already in the log: run {runKey} (left alone)").ConfigureAwait(false); }
        foreach (string runKey in result.LocalCatalogsRestored) { await console.Out.WriteLineAsync($"local catalog put back: run {runKey} (its record left alone)").ConfigureAwait(false); }
        foreach (var problem in result.Damaged) { await console.Out.WriteLineAsync("damaged: " + problem.Reason).ConfigureAwait(false); }
        foreach (var problem in result.Pending) { await console.Out.WriteLineAsync("pending: " + problem.Reason).ConfigureAwait(false); }
        await console.Out.WriteLineAsync($"{result.CatalogsFound} catalog(s) in the vault: {result.Recovered.Count} recovered, " +
            $"{result.AlreadyPresent.Count + result.LocalCatalogsRestored.Count} already in the log ({result.LocalCatalogsRestored.Count} local catalog(s) put back), {result.Damaged.Count} damaged, {result.Pending.Count} pending.").ConfigureAwait(false);
        return exitCode;
    }

    private static RecoverJson Json(RecoveryResult? result, string? inventoryPending, int exitCode) => new("recover", exitCode,
        InventoryPending: result is null, Message: inventoryPending, CatalogsFound: result?.CatalogsFound ?? 0,
        Recovered: result?.Recovered ?? [], AlreadyPresent: result?.AlreadyPresent ?? [], LocalCatalogsRestored: result?.LocalCatalogsRestored ?? [],
        Damaged: result?.Damaged.Select(Problem).ToList() ?? [], Pending: result?.Pending.Select(Problem).ToList() ?? []);

    private static RecoverProblemJson Problem(RecoveryProblem problem) => new(problem.RunKey, problem.CatalogId, problem.Reason);
}
