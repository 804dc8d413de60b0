using System.Globalization;
using System.Text.Json;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>The parts of DescribeJob's answer AutoGlacier uses.</summary>
internal sealed record GlacierJob(string JobId, string Action, string StatusCode, string? StatusMessage, string? ArchiveId,
    long? ArchiveSize, string? ArchiveTreeHash, string? Tier, DateTimeOffset CreationDate)
{
    public bool Succeeded => StatusCode == "Succeeded";

    public bool Failed => StatusCode == "Failed";

    public static GlacierJob Parse(JsonElement job) => new(
        Text(job, "JobId") ?? "",
        Text(job, "Action") ?? "",
        Text(job, "StatusCode") ?? "InProgress",
        Text(job, "StatusMessage"),
        Text(job, "ArchiveId"),
        job.TryGetProperty("ArchiveSizeInBytes", out JsonElement size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null,
        Text(job, "ArchiveSHA256TreeHash"),
        Text(job, "Tier"),
        DateTimeOffset.TryParse(Text(job, "CreationDate"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset created) ? created : DateTimeOffset.MinValue);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
