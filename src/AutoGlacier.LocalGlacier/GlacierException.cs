namespace AutoGlacier.LocalGlacier;

/// <summary>An error answered as Glacier does: a status code and a JSON body <c>{"code","message","type"}</c>.</summary>
internal sealed class GlacierException(int status, string code, string message, string type = "Client") : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Type { get; } = type;

    public static GlacierException InvalidParameter(string message) => new(400, "InvalidParameterValueException", message);

    public static GlacierException MissingParameter(string message) => new(400, "MissingParameterValueException", message);

    public static GlacierException NotFound(string message) => new(404, "ResourceNotFoundException", message);
}
