namespace AutoGlacier.Vaults.Multipart;

/// <summary>
/// The upload spool is not the archive the log recorded (truncated, or its SHA-256 differs): it can never be resumed.
/// Nothing was completed from it; the run has to be backed up again.
/// </summary>
public sealed class SpoolDamagedException : AutoGlacierException
{
    /// <inheritdoc />
    public SpoolDamagedException(string message) : base(message) { }

    /// <inheritdoc />
    public SpoolDamagedException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public SpoolDamagedException() { }
}
