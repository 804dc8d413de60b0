namespace AutoGlacier.Restore;

/// <summary>The archive is not readable yet (a retrieval job is running) and the caller asked not to wait.</summary>
public sealed class RetrievalPendingException : AutoGlacierException
{
    /// <inheritdoc />
    public RetrievalPendingException(string message) : base(message) { }

    /// <inheritdoc />
    public RetrievalPendingException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public RetrievalPendingException() { }
}
