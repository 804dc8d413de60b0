using System.CommandLine;
using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier restore</c>: vault → decrypt → decompress → extract, verifying every file.</summary>
internal static class RestoreCommand
{
    public static Command Create(CliConsole console)
    {
        var config = CommonOptions.Config();
        var privateKey = new Option<string>("--private-key") { Description = "Private key of one of the archive's recipients", Required = true };
        var (run, latest, archive) = (CommonOptions.Run(), CommonOptions.Latest(), CommonOptions.Archive());
        var seedFormat = Migration.SeedFormatOption.Create();
        var to = new Option<string>("--to") { Description = "Restore directory (files land at DIR/<original absolute path>)", Required = true };
        var include = new Option<string[]>("--include") { Description = "Only restore entries matching this glob of the original path (repeatable)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace files that already exist" };
        var skipExternal = new Option<bool>("--skip-external-symlinks")
        {
            Description = "Leave out symlinks that point outside the restore directory (by default every symlink is restored as it was; none is ever followed)",
        };
        // Accepted so that scripts written for older versions keep working: restoring external symlinks is now the default.
        var allowExternal = new Option<bool>("--allow-external-symlinks") { Hidden = true };
        var command = new Command("restore", "Restore a run's files, verifying each file's SHA-256. A cold archive (Glacier, S3 GLACIER/DEEP_ARCHIVE) " +
            $"is retrieved first; the command waits for the retrieval unless --no-wait (then it exits {ExitCodes.Pending}: run it again later).")
            { config, privateKey, run, latest, archive, to, include, overwrite, skipExternal, allowExternal, seedFormat };
        var retrieval = CommonOptions.Retrieval(command);
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            var selector = CommonOptions.Selector(parsed, run, latest, archive);
            if (selector is null) { return await console.UsageErrorAsync(CommonOptions.SelectorError).ConfigureAwait(false); }
            selector = Migration.SeedFormatOption.Apply(selector, parsed, seedFormat);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var settings = CliConsole.LoadConfig(parsed.GetValue(config));
            var result = await RestoreRunner.RunAsync(new RestoreRequest
            {
                Config = settings,
                Selector = selector,
                PrivateKeyPath = parsed.GetValue(privateKey)!,
                Passphrase = Passphrases.ForExistingKey(settings.RsaPassphrase, console.Error),
                TargetDirectory = parsed.GetValue(to)!,
                Include = parsed.GetValue(include) ?? [],
                Overwrite = parsed.GetValue(overwrite),
                SkipExternalSymlinks = parsed.GetValue(skipExternal),
                Progress = console.RestoreProgress("restore"),
                Retrieval = retrieval.Read(parsed),
                Logger = console.Logger,
            }, cancellationToken).ConfigureAwait(false);
            await Report.WriteAsync(console, "restore", result, clock.Elapsed).ConfigureAwait(false);
            return result.ExitCode;
        }));
        return command;
    }
}
