namespace AutoGlacier.Encryption;

/// <summary>The private key is not one the archive was encrypted for. Messages never contain secrets.</summary>
public sealed class WrongKeyException : AutoGlacierException
{
    /// <inheritdoc />
    public WrongKeyException(string message) : base(message) { }

    /// <inheritdoc />
    public WrongKeyException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public WrongKeyException() { }
}
