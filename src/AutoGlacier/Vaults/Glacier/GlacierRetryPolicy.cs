namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Which failures are retried (throttling, request timeouts, 5xx, insufficient capacity, and transport failures)
/// and how long to wait: capped exponential backoff with full jitter, so many clients do not retry in step.
/// </summary>
internal sealed class GlacierRetryPolicy(GlacierSettings settings)
{
    public int MaxAttempts => Math.Max(1, settings.MaxAttempts);

    public static bool IsRetryable(GlacierErrorBody error) =>
        error.Status >= 500
        || error.Status == 408
        || error.Code is "ThrottlingException" or "RequestTimeoutException" or "InsufficientCapacityException" or "ServiceUnavailableException" or "SlowDown";

    public TimeSpan Delay(int attempt)
    {
        double ceiling = Math.Min(settings.MaxRetryDelay.TotalMilliseconds, settings.BaseRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
#pragma warning disable CA5394 // jitter, not security
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
#pragma warning restore CA5394
    }
}
