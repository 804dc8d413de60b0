using System.Text.Json;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>Glacier's JSON error body <c>{"code","message","type"}</c>, read leniently.</summary>
internal sealed record GlacierErrorBody(int Status, string Code, string Message)
{
    public static async Task<GlacierErrorBody> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        string text = "";
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using JsonDocument json = JsonDocument.Parse(text);
            string code = Property(json.RootElement, "code") ?? HeaderCode(response) ?? $"HTTP{status}";
            return new GlacierErrorBody(status, code, Property(json.RootElement, "message") ?? "");
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            string snippet = text.Length > 200 ? text[..200] : text;
            return new GlacierErrorBody(status, HeaderCode(response) ?? $"HTTP{status}", snippet);
        }
    }

    private static string? Property(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    private static string? HeaderCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-ErrorType", out IEnumerable<string>? values) ? values.FirstOrDefault()?.Split(':')[0] : null;
}
