using AutoGlacier.Configuration;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Cli;

/// <summary>Output streams and the error-to-exit-code policy shared by all commands.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    public ILogger Logger { get; } = DefaultLogging.Console.CreateLogger("autoglacier");

    /// <summary>Runs a command body, turning user-facing errors into a message and an exit code (no stack trace).</summary>
    public async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Restore.RetrievalPendingException ex)
        {
            await Error.WriteLineAsync("pending: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Pending;
        }
        catch (ConfigurationException ex)
        {
            await Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (AutoGlacierException ex)
        {
            await Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // e.g. a malformed archive that only the tar or JSON reader notices: a message, never a stack trace.
            await Error.WriteLineAsync($"error: {ex.Message} ({ex.GetType().Name})").ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }

    /// <summary>Loads the configuration file given by --config (or the default location).</summary>
    public static GteuConfig LoadConfig(string? path) => ConfigLoader.LoadFile(path ?? DefaultPaths.ConfigFile);
}
