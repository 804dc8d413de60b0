namespace AutoGlacier;

/// <summary>
/// An error the user can act on: the message says what failed, on which file, key or part, and what to do.
/// Messages never contain secrets.
/// </summary>
public class AutoGlacierException : Exception
{
    /// <summary>Creates an error with a user-facing message.</summary>
    public AutoGlacierException(string message) : base(message) { }

    /// <summary>Creates an error with a user-facing message and the low-level cause.</summary>
    public AutoGlacierException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates an error with no message (prefer the other constructors).</summary>
    public AutoGlacierException() { }
}

/// <summary>A configuration file or value is invalid. Raised before any file is read.</summary>
public sealed class ConfigurationException : AutoGlacierException
{
    /// <inheritdoc />
    public ConfigurationException(string message) : base(message) { }

    /// <inheritdoc />
    public ConfigurationException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public ConfigurationException() { }
}
