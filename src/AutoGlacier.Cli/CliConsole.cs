using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AutoGlacier.Cli.Commands;
using AutoGlacier.Cli.Output;
using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Cli;

/// <summary>
/// Output streams, the global output options (--json, --quiet, --progress-interval) and the error-to-exit-code
/// policy shared by all commands. Results go to stdout; progress, log lines and errors to stderr.
/// </summary>
internal sealed class CliConsole
{
    private readonly StatusArea _status;
    private bool _quiet;
    private bool _jsonWritten;
    private string _command = "autoglacier";
    private TimeSpan _interval = DefaultInterval;

    public CliConsole(TextWriter output, TextWriter error, bool errorIsTerminal, Func<int> width)
    {
        _status = new StatusArea(error, errorIsTerminal, width);
        (Out, Error) = (new ResultWriter(output, _status), new ResultWriter(error, _status));
        Logger = new StatusLogger(_status, () => _quiet ? LogLevel.Warning : LogLevel.Information);
    }

    /// <summary>Plain progress lines come at most this often when stderr is not a terminal.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public ILogger Logger { get; }

    /// <summary>--json: the result is one JSON document on stdout (docs/CLI-JSON.md).</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Recursive = true,
        Description = "Print the result as one JSON document on stdout (schema: docs/CLI-JSON.md); without a terminal, progress becomes JSON lines on stderr",
    };

    /// <summary>--quiet: no progress, no informational log lines.</summary>
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Recursive = true, Description = "No progress and no informational messages (warnings and errors still go to stderr)" };

    /// <summary>--progress-interval: how often a plain progress line is written when stderr is not a terminal.</summary>
    public Option<TimeSpan?> ProgressInterval { get; } = new("--progress-interval")
    {
        Recursive = true,
        Description = "Without a terminal (cron, systemd, CI): write a progress line at most this often (e.g. 10s, 5m). Default: 30s",
        CustomParser = CommonOptions.RetrievalOptionSet.Duration,
    };

    /// <summary>Ctrl+C (or SIGTERM): the live display goes at once and stays gone.</summary>
    public void StopLiveDisplay() => _status.Stop();

    /// <summary>Whether this command prints JSON.</summary>
    public bool IsJson { get; private set; }

    /// <summary>Reads the global options of the parsed command line.</summary>
    public void Configure(ParseResult parsed)
    {
        IsJson = parsed.GetValue(Json);
        _quiet = parsed.GetValue(Quiet);
        _interval = parsed.GetValue(ProgressInterval) ?? DefaultInterval;
        _command = parsed.CommandResult.Command.Name;
    }

    /// <summary>How progress is shown for this command.</summary>
    public ProgressMode Mode => _quiet ? ProgressMode.None : _status.IsLive ? ProgressMode.Live : IsJson ? ProgressMode.JsonLines : ProgressMode.Lines;

    /// <summary>A progress sink for a backup, as <see cref="Mode"/> says.</summary>
    public IProgress<BackupProgress> BackupProgress() =>
        new ProgressChannel<BackupProgress>(_status, Mode, _interval, ProgressView.Backup, ProgressJson.Backup, p => p.Phase == BackupPhase.Stored);

    /// <summary>A progress sink for restore or verify (<paramref name="command"/> names it in the lines).</summary>
    /// <remarks>
    /// A snapshot's plan comes first, before anything is requested: it is printed on stdout (with --json it is in
    /// the result document instead, and always in the JSON progress lines).
    /// </remarks>
    public IProgress<RestoreProgress> RestoreProgress(string command)
    {
        var channel = new ProgressChannel<RestoreProgress>(_status, Mode, _interval, p => ProgressView.Restore(command, p), p => ProgressJson.Restore(command, p),
            p => p.Phase == RestorePhase.Done || (p.Phase == RestorePhase.Planned && Mode == ProgressMode.JsonLines));
        return new InOrderProgress(p =>
        {
            if (p is { Phase: RestorePhase.Planned, Archives: { } plan } && !IsJson)
            {
                foreach (var line in ProgressView.Plan(command, plan)) { Out.WriteLine(line); }
            }
            channel.Report(p);
        });
    }

    /// <summary>Passes reports on in the reporting thread, in order (<see cref="Progress{T}"/> would post them).</summary>
    private sealed class InOrderProgress(Action<RestoreProgress> report) : IProgress<RestoreProgress>
    {
        public void Report(RestoreProgress value) => report(value);
    }

    /// <summary>A progress sink for resume.</summary>
    public IProgress<ResumeProgress> ResumeProgress() =>
        new ProgressChannel<ResumeProgress>(_status, Mode, _interval, ProgressView.Resume, ProgressJson.Resume, p => p.Phase == ResumePhase.Done);

    /// <summary>A progress sink for inventory (each check of a job being waited for is shown, as restore's retrieval wait is).</summary>
    public IProgress<InventoryProgress> InventoryProgress() =>
        new ProgressChannel<InventoryProgress>(_status, Mode, _interval, ProgressView.Inventory, ProgressJson.Inventory,
            p => p.Phase is InventoryPhase.Done or InventoryPhase.Waiting);

    /// <summary>Writes the command's JSON document to stdout.</summary>
    public async Task WriteJsonAsync<T>(T document, JsonTypeInfo<T> type)
    {
        _status.Clear(); // the live lines go before the result appears
        _jsonWritten = true;
        await Out.WriteLineAsync(JsonSerializer.Serialize(document, type)).ConfigureAwait(false);
    }

    /// <summary>Runs a command body, turning user-facing errors into a message and an exit code (no stack trace).</summary>
    public async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RetrievalPendingException ex)
        {
            return await FailAsync("pending: ", ex.Message, ExitCodes.Pending).ConfigureAwait(false);
        }
        catch (ConfigurationException ex)
        {
            return await FailAsync("error: ", ex.Message, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (AutoGlacierException ex)
        {
            return await FailAsync("error: ", ex.Message, ExitCodes.Error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await FailAsync("error: ", ex.Message, ExitCodes.Error).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return await FailAsync("error: ", "cancelled", ExitCodes.Error).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // e.g. a malformed archive that only the tar or JSON reader notices: a message, never a stack trace.
            return await FailAsync("error: ", $"{ex.Message} ({ex.GetType().Name})", ExitCodes.Error).ConfigureAwait(false);
        }
        finally
        {
            _status.Clear(); // success, error or Ctrl+C: the live lines never stay on the screen
        }
    }

    /// <summary>A usage error found by a command itself (not the parser): message, JSON document, exit code 2.</summary>
    public Task<int> UsageErrorAsync(string message) => FailAsync("error: ", message, ExitCodes.Usage);

    private async Task<int> FailAsync(string prefix, string message, int exitCode)
    {
        _status.Clear();
        await Error.WriteLineAsync(prefix + message).ConfigureAwait(false);
        if (IsJson && !_jsonWritten)
        {
            await WriteJsonAsync(new ErrorJson(_command, exitCode, message), CliJsonContext.Relaxed.ErrorJson).ConfigureAwait(false);
        }

        return exitCode;
    }

    /// <summary>Loads the configuration file given by --config (or the default location).</summary>
    public static GteuConfig LoadConfig(string? path) => ConfigLoader.LoadFile(path ?? DefaultPaths.ConfigFile);
}
