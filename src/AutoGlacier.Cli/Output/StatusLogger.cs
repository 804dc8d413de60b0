using Microsoft.Extensions.Logging;

namespace AutoGlacier.Cli.Output;

/// <summary>
/// The command's logger: one line per message on stderr ("HH:mm:ss info: …"), written above the live status lines
/// so they never tear. Results go to stdout, so a log line never mixes into <c>--json</c> output. With
/// <c>--quiet</c> only warnings and errors are written.
/// </summary>
internal sealed class StatusLogger(StatusArea area, Func<LogLevel> minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum();

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) { return; }
        string level = logLevel switch
        {
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            LogLevel.Debug => "dbug",
            LogLevel.Trace => "trce",
            _ => "info",
        };
        // The exception's message only: a stack trace helps nobody who runs a backup, and messages are written to be acted on.
        string message = formatter(state, exception) + (exception is null ? "" : " (" + exception.Message + ")");
        area.WriteLine($"{DateTime.Now:HH:mm:ss} {level}: {message}");
    }
}
