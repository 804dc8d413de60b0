using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>Writes JSON bodies with Glacier's property names (as given, PascalCase) and content type.</summary>
internal static class GlacierResponses
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = null };

    public static async Task JsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), Options, context.RequestAborted);
    }

    public static Task ErrorAsync(HttpContext context, GlacierException error)
    {
        context.Response.Headers["x-amzn-ErrorType"] = error.Code;
        return JsonAsync(context, error.Status, new Dictionary<string, string>
        {
            ["code"] = error.Code,
            ["message"] = error.Message,
            ["type"] = error.Type,
        });
    }

    public static void Empty(HttpContext context, int status) => context.Response.StatusCode = status;
}
