namespace AutoGlacier.Encryption;

/// <summary>The passphrase does not open the private key (or a passphrase-protected key was given none). Messages never contain secrets.</summary>
public sealed class WrongPassphraseException : AutoGlacierException
{
    /// <inheritdoc />
    public WrongPassphraseException(string message) : base(message) { }

    /// <inheritdoc />
    public WrongPassphraseException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public WrongPassphraseException() { }
}
