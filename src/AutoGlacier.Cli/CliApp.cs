using System.CommandLine;
using System.Runtime.InteropServices;
using AutoGlacier.Cli.Commands;

namespace AutoGlacier.Cli;

/// <summary>The <c>autoglacier</c> command line: init, keygen, backup, list, restore, verify, resume, inventory, recover, delete.</summary>
public static class CliApp
{
    /// <summary>Parses and runs a command line; returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    /// <remarks>Progress is drawn live only when <paramref name="error"/> is the process's stderr and that is a terminal.</remarks>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var console = new CliConsole(output, error, IsTerminal(error), TerminalWidth);
        var root = new RootCommand("AutoGlacier: encrypted, compressed, verifiable backups (Gather, Tar, compress, Encrypt, Upload).\n" +
            "Exit codes: 0 success, 1 error, 2 usage or configuration error, 3 completed with warnings, 4 retrieval pending (run again later).")
        {
            console.Json,
            console.Quiet,
            console.ProgressInterval,
        };
        foreach (var command in Commands(console))
        {
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) { await error.WriteLineAsync("error: " + parseError.Message).ConfigureAwait(false); }
            await error.WriteLineAsync("Run 'autoglacier --help' (or 'autoglacier COMMAND --help') for usage.").ConfigureAwait(false);
            if (args.Contains("--json"))
            {
                var document = new Output.ErrorJson(parsed.CommandResult.Command.Name, ExitCodes.Usage, string.Join(" ", parsed.Errors.Select(e => e.Message)));
                await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(document, Output.CliJsonContext.Relaxed.ErrorJson)).ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }

        console.Configure(parsed);
        // Cancellation is System.CommandLine's (the token fires); these only take the live display off the screen first.
        ConsoleCancelEventHandler interrupt = (_, _) => console.StopLiveDisplay();
        Console.CancelKeyPress += interrupt;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => console.StopLiveDisplay());
        // Time for a cancelled backup to record itself as failed (the compressor finishes its current block first).
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) };
        try
        {
            return await parsed.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= interrupt;
        }
    }

    /// <summary>Every command, one line each (new commands go in this list).</summary>
    private static IEnumerable<Command> Commands(CliConsole console) =>
    [
        InitCommand.Create(console),
        KeygenCommand.Create(console),
        BackupCommand.Create(console),
        ListCommand.Create(console),
        RestoreCommand.Create(console),
        VerifyCommand.Create(console),
        LocalGlacierCommand.Create(console),
        DeleteCommand.Create(console),
        InventoryCommand.Create(console),
        RecoverCommand.Create(console),
        ResumeCommand.Create(console),
        global::AutoGlacier.Cli.Commands.Migration.ImportSeedCommand.Create(console),
        global::AutoGlacier.Cli.Commands.Migration.MigrateCommand.Create(console),
    ];

    /// <summary>A live display needs the real stderr on a terminal that understands control sequences.</summary>
    private static bool IsTerminal(TextWriter error) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
