namespace AutoGlacier.LocalGlacier;

/// <summary>
/// Injects a fault into the <see cref="OnRequest"/>-th request (1-based, counted per operation since the server
/// started) of <see cref="Operation"/>, and into the following ones up to <see cref="Times"/> requests in all.
/// </summary>
/// <param name="Operation">Operation name as in the Glacier API, e.g. <c>UploadMultipartPart</c>; <c>*</c> for every operation.</param>
/// <param name="OnRequest">The first request (1-based) that fails.</param>
/// <param name="Kind">What happens.</param>
/// <param name="Times">How many consecutive requests fail.</param>
/// <param name="Delay">Wait for <see cref="FaultKind.Slow"/>.</param>
public sealed record FaultRule(string Operation, int OnRequest, FaultKind Kind, int Times = 1, TimeSpan Delay = default)
{
    /// <summary>
    /// Parses <c>Operation:N:kind[:times[:delayMs]]</c> with kind one of 500, 503, throttle, timeout, drop, slow
    /// (the local-glacier command's <c>--fault</c> option).
    /// </summary>
    /// <exception cref="FormatException">The text does not have that shape.</exception>
    public static FaultRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':');
        if (parts.Length is < 3 or > 5 || !int.TryParse(parts[1], out int nth) || nth < 1)
        {
            throw new FormatException($"Fault '{text}' is not Operation:N:kind[:times[:delayMs]] (e.g. UploadMultipartPart:2:throttle).");
        }

        FaultKind kind = parts[2].ToUpperInvariant() switch
        {
            "500" => FaultKind.ServiceUnavailable,
            "503" => FaultKind.Status503,
            "THROTTLE" => FaultKind.Throttling,
            "TIMEOUT" => FaultKind.RequestTimeout,
            "DROP" => FaultKind.DropConnection,
            "SLOW" => FaultKind.Slow,
            _ => throw new FormatException($"Fault kind '{parts[2]}' is unknown; allowed: 500, 503, throttle, timeout, drop, slow."),
        };
        int times = parts.Length > 3 ? int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) : 1;
        int delayMs = parts.Length > 4 ? int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        return new FaultRule(parts[0], nth, kind, times, TimeSpan.FromMilliseconds(delayMs));
    }
}
