namespace AutoGlacier.LocalGlacier;

/// <summary>What an injected fault does to the request it hits.</summary>
public enum FaultKind
{
    /// <summary>HTTP 500 ServiceUnavailableException.</summary>
    ServiceUnavailable,

    /// <summary>HTTP 503 with a ServiceUnavailableException body (what a load balancer may return).</summary>
    Status503,

    /// <summary>HTTP 400 ThrottlingException.</summary>
    Throttling,

    /// <summary>HTTP 408 RequestTimeoutException.</summary>
    RequestTimeout,

    /// <summary>Reads part of the request body, then aborts the connection without a response.</summary>
    DropConnection,

    /// <summary>Waits <see cref="FaultRule.Delay"/> before handling the request normally.</summary>
    Slow,
}
