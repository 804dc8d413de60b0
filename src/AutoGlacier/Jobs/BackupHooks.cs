using System.Diagnostics;
using System.Globalization;
using AutoGlacier.Configuration;
using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>
/// Runs the configured notification hook after a backup: <c>ON_SUCCESS_COMMAND</c> when the archive was stored
/// (succeeded, completed with warnings), <c>ON_FAILURE_COMMAND</c> when the run failed. The command line goes through
/// <c>/bin/sh -c</c> (<c>cmd /c</c> on Windows) with the run described in its environment:
/// <c>AUTOGLACIER_RUN_KEY</c>, <c>AUTOGLACIER_STATUS</c>, <c>AUTOGLACIER_EXIT_CODE</c>, <c>AUTOGLACIER_FILES_STORED</c>,
/// <c>AUTOGLACIER_FILES_SKIPPED</c>, <c>AUTOGLACIER_FILES_CHANGED</c>, <c>AUTOGLACIER_BYTES_READ</c>,
/// <c>AUTOGLACIER_ARCHIVE_ID</c>, <c>AUTOGLACIER_ARCHIVE_SIZE</c>, <c>AUTOGLACIER_DURATION_SECONDS</c>,
/// <c>AUTOGLACIER_DESCRIPTION</c>, <c>AUTOGLACIER_ERROR</c>. Secrets AutoGlacier reads from the environment
/// (<c>AUTOGLACIER_PASSPHRASE</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>) are removed from it. The
/// hook's output is logged, never mixed into the command's results; a hook that fails, cannot start or runs longer
/// than <see cref="Timeout"/> is a warning and never changes the backup's result or exit code.
/// </summary>
public static class BackupHooks
{
    /// <summary>Environment variables never passed to a hook.</summary>
    public static readonly IReadOnlyList<string> Withheld = ["AUTOGLACIER_PASSPHRASE", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    /// <summary>How long a hook may run before it is killed (a notification must not hold the nightly job).</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Runs the hook the result calls for, if one is configured; returns its exit code, or null when none ran to an end.</summary>
    public static async Task<int?> RunAsync(GteuConfig config, BackupResult result, string description, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(logger);
        bool stored = result.ArchiveId is not null && result.ExitCode is ExitCodes.Success or ExitCodes.CompletedWithWarnings;
        (string key, string? commandLine) = stored ? (ConfigKeys.OnSuccessCommand, config.OnSuccessCommand) : (ConfigKeys.OnFailureCommand, config.OnFailureCommand);
        if (commandLine is null) { return null; }
        try
        {
            return await RunShellAsync(key, commandLine, Environment(result, description), logger, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A hook is a notification: whatever goes wrong with it is a warning, never a failed backup.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            logger.LogWarning("{Key} could not run: {Message}; the backup's result is unchanged", key, ex.Message);
            return null;
        }
    }

    /// <summary>What the hook is told about the run.</summary>
    internal static Dictionary<string, string> Environment(BackupResult result, string description) => new(StringComparer.Ordinal)
    {
        ["AUTOGLACIER_RUN_KEY"] = result.RunKey ?? "",
        ["AUTOGLACIER_STATUS"] = result.Status,
        ["AUTOGLACIER_EXIT_CODE"] = Text(result.ExitCode),
        ["AUTOGLACIER_FILES_STORED"] = Text(result.FilesStored),
        ["AUTOGLACIER_FILES_SKIPPED"] = Text(result.FilesSkipped),
        ["AUTOGLACIER_FILES_CHANGED"] = Text(result.FilesChanged),
        ["AUTOGLACIER_BYTES_READ"] = Text(result.PlaintextSize),
        ["AUTOGLACIER_ARCHIVE_ID"] = result.ArchiveId ?? "",
        ["AUTOGLACIER_ARCHIVE_SIZE"] = Text(result.ArchiveSize),
        ["AUTOGLACIER_DURATION_SECONDS"] = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
        ["AUTOGLACIER_DESCRIPTION"] = description,
        ["AUTOGLACIER_ERROR"] = result.Error ?? "",
    };

    private static async Task<int?> RunShellAsync(string key, string commandLine, Dictionary<string, string> environment, ILogger logger, CancellationToken cancellationToken)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", commandLine } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", commandLine } };
        (start.RedirectStandardOutput, start.RedirectStandardError, start.RedirectStandardInput, start.UseShellExecute) = (true, true, true, false);
        foreach (string name in Withheld) { start.Environment.Remove(name); }
        foreach (var (name, value) in environment) { start.Environment[name] = value; }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the shell did not start");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { logger.LogInformation("{Key}: {Line}", key, line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { logger.LogWarning("{Key}: {Line}", key, line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            logger.LogWarning("{Key} ran longer than {Timeout} and was stopped; the backup's result is unchanged", key, Timeout);
            return null;
        }

        process.WaitForExit(); // drains the output events
        if (process.ExitCode != 0)
        {
            logger.LogWarning("{Key} exited with code {Code}; the backup's result is unchanged", key, process.ExitCode);
        }

        return process.ExitCode;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
