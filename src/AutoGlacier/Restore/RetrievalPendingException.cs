namespace AutoGlacier.Restore;

/// <summary>
/// The archive is in cold storage and its retrieval has not finished. Not a failure: the command line exits with
/// <see cref="ExitCodes.Pending"/> and the same command continues later.
/// </summary>
public sealed class RetrievalPendingException : AutoGlacierException
{
    /// <inheritdoc />
    public RetrievalPendingException(string message) : base(message) { }
    /// <inheritdoc />
    public RetrievalPendingException(string message, Exception inner) : base(message, inner) { }
    /// <inheritdoc />
    public RetrievalPendingException() { }
}
