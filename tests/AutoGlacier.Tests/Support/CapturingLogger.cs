using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Tests.Support;

/// <summary>Keeps every formatted log line; <see cref="OnLine"/> sees each as it is written (e.g. to cancel a wait).</summary>
public sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public Action<string>? OnLine { get; init; }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string line = $"{logLevel}: {formatter(state, exception)}";
        Lines.Enqueue(line);
        OnLine?.Invoke(line);
    }
}
