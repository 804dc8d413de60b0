using Microsoft.Extensions.Logging;

namespace AutoGlacier;

/// <summary>The default logger factory: single-line console messages at Information level.</summary>
internal static class DefaultLogging
{
    private static readonly Lazy<ILoggerFactory> LazyConsole = new(() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        })));

    /// <summary>A shared console logger factory.</summary>
    public static ILoggerFactory Console => LazyConsole.Value;
}
