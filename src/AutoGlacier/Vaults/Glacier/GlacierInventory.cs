using System.Globalization;
using System.Text.Json;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>Reads an inventory-retrieval job's JSON output into <see cref="VaultArchive"/>s, decoding AutoGlacier descriptions.</summary>
internal static class GlacierInventory
{
    public static async Task<List<VaultArchive>> ReadAsync(GlacierClient client, string jobId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await client.GetJobOutputAsync(jobId, null, null, cancellationToken).ConfigureAwait(false);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using JsonDocument json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        var archives = new List<VaultArchive>();
        foreach (JsonElement item in json.RootElement.GetProperty("ArchiveList").EnumerateArray())
        {
            archives.Add(ToArchive(item));
        }

        return archives;
    }

    private static VaultArchive ToArchive(JsonElement item)
    {
        string? raw = item.TryGetProperty("ArchiveDescription", out JsonElement d) ? d.GetString() : null;
        ArchiveDescriptionPayload? payload = ArchiveDescriptionCodec.TryDecode(raw);
        long size = item.GetProperty("Size").GetInt64();
        DateTimeOffset created = DateTimeOffset.Parse(item.GetProperty("CreationDate").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new VaultArchive(
            item.GetProperty("ArchiveId").GetString()!,
            payload?.Empty == true ? 0 : size,
            payload?.RunKey,
            payload?.Description ?? raw,
            created)
        {
            Kind = payload?.Kind ?? VaultObjectKind.Archive,
        };
    }
}
