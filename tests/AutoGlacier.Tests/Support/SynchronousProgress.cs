namespace AutoGlacier.Tests.Support;

/// <summary>Unlike Progress&lt;T&gt;, reports on the calling thread, so a test sees every report before it asserts.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
