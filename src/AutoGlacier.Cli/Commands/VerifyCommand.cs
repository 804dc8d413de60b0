using System.CommandLine;
using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier verify</c>: re-hash a stored archive, and with the key every file in it.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var (run, latest, archive) = (CommonOptions.Run(), CommonOptions.Latest(), CommonOptions.Archive());
        var seedFormat = Migration.SeedFormatOption.Create();
        var privateKey = new Option<string?>("--private-key") { Description = "With the key, also decrypt and check every file's SHA-256 (writes nothing)" };
        var command = new Command("verify", "Check a stored archive's SHA-256 and tree hash against the log. A cold archive is retrieved first; " +
            $"the command waits for the retrieval unless --no-wait (then it exits {ExitCodes.Pending}: run it again later).") { config, run, latest, archive, privateKey, seedFormat };
        var retrieval = CommonOptions.Retrieval(command);
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var selector = CommonOptions.Selector(parsed, run, latest, archive);
            if (selector is null) { return await console.UsageErrorAsync(CommonOptions.SelectorError).ConfigureAwait(false); }
            selector = Migration.SeedFormatOption.Apply(selector, parsed, seedFormat);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            var keyPath = parsed.GetValue(privateKey);
            var passphrase = keyPath is null ? null : Passphrases.ForExistingKey(settings.RsaPassphrase, console.Error);
            var result = await VerifyRunner.RunAsync(settings, vault: null, selector, keyPath, passphrase, retrieval.Read(parsed), console.Logger,
                console.RestoreProgress("verify"), cancellationToken).ConfigureAwait(false);
            await Report.WriteAsync(console, "verify", result, clock.Elapsed).ConfigureAwait(false);
            return result.ExitCode;
        }));
        return command;
    }
}
