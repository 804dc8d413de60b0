namespace AutoGlacier.Tests.Support;

/// <summary>Runs code that must not block (opening a FIFO for reading waits for a writer that never comes).</summary>
public static class NonBlocking
{
    /// <summary>Runs <paramref name="work"/> off the test's thread; a TimeoutException fails the test after 20 s.</summary>
    public static Task<T> RunAsync<T>(Func<Task<T>> work) => Task.Run(work).WaitAsync(TimeSpan.FromSeconds(20));

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}})"/>
    public static Task<T> RunAsync<T>(Func<T> work) => Task.Run(work).WaitAsync(TimeSpan.FromSeconds(20));
}
