namespace AutoGlacier.Vaults.Glacier;

/// <summary>Glacier refused a request; the message names the operation, vault, part and what to do.</summary>
public sealed class GlacierServiceException : AutoGlacierException
{
    /// <summary>Creates an error for a failed request.</summary>
    public GlacierServiceException(string message, string errorCode, int statusCode, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(errorCode))
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <inheritdoc />
    public GlacierServiceException(string message) : base(message) => ErrorCode = "";

    /// <inheritdoc />
    public GlacierServiceException(string message, Exception inner) : base(message, inner) => ErrorCode = "";

    /// <inheritdoc />
    public GlacierServiceException() => ErrorCode = "";

    /// <summary>Glacier's error code, e.g. InvalidSignatureException; empty for transport failures.</summary>
    public string ErrorCode { get; }

    /// <summary>HTTP status, or 0 when no response arrived.</summary>
    public int StatusCode { get; }
}
