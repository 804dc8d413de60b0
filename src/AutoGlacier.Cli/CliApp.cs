using System.CommandLine;
using AutoGlacier.Cli.Commands;

namespace AutoGlacier.Cli;

/// <summary>The <c>autoglacier</c> command line: keygen, backup, list, restore, verify.</summary>
public static class CliApp
{
    /// <summary>Parses and runs a command line; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand("AutoGlacier: encrypted, compressed, verifiable backups (Gather, Tar, compress, Encrypt, Upload).\n" +
            "Exit codes: 0 success, 1 error, 2 usage or configuration error, 3 completed with warnings, 4 retrieval pending (run again later).")
        {
            KeygenCommand.Create(console),
            BackupCommand.Create(console),
            ListCommand.Create(console),
            RestoreCommand.Create(console),
            VerifyCommand.Create(console),
            LocalGlacierCommand.Create(console),
            DeleteCommand.Create(console),
            InventoryCommand.Create(console),
            ResumeCommand.Create(console),
            Commands.Migration.ImportSeedCommand.Create(console),
            Commands.Migration.MigrateCommand.Create(console),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) { await error.WriteLineAsync("error: " + parseError.Message).ConfigureAwait(false); }
            await error.WriteLineAsync("Run 'autoglacier --help' (or 'autoglacier COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
    }
}
