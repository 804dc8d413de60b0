namespace AutoGlacier.Encryption;

/// <summary>The archive is not intact: tampered, truncated, reordered, or not an AutoGlacier container. Messages never contain secrets.</summary>
public sealed class ArchiveIntegrityException : AutoGlacierException
{
    /// <inheritdoc />
    public ArchiveIntegrityException(string message) : base(message) { }

    /// <inheritdoc />
    public ArchiveIntegrityException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public ArchiveIntegrityException() { }
}
