using AutoGlacier.Streams;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AutoGlacier.Log;

namespace AutoGlacier.Migration.Seed;

/// <summary>
/// How the JSON log reads the Python seed's runs beside ours. The seed's records are never rewritten: state AutoGlacier
/// must keep for such a run (a retrieval job, a migration) goes into a companion record under
/// <see cref="CompanionKey"/>, which the log shows in the seed run's place.
/// </summary>
internal static class SeedLog
{
    private const string CompanionSuffix = "/autoglacier";

    /// <summary>The key of the record that carries AutoGlacier's state for seed run <paramref name="seedKey"/>.</summary>
    public static string CompanionKey(string seedKey) => seedKey + CompanionSuffix;

    /// <summary>
    /// Our view of a record that has no "started_at" (every AutoGlacier record has one): a seed run when its key is a
    /// time, else <paramref name="decoded"/> unchanged (a hand-made or foreign entry).
    /// </summary>
    public static RunRecord? ReadRecord(FileStream log, RunEntry entry, ReadOnlySpan<byte> fieldsJson, RunRecord? decoded)
    {
        if (SeedTime.FromKey(entry.Key) is null || IsOurs(fieldsJson)) { return decoded; }
        SeedLogRecord? seed;
        try
        {
            seed = JsonSerializer.Deserialize(fieldsJson, SeedJsonContext.Default.SeedLogRecord);
        }
        catch (JsonException)
        {
            return decoded;
        }
        int files = entry.Files is { } range ? CountArrayItems(log, range) : 0;
        // A hand-made entry may use our field names; keep its description then.
        return seed?.ToRunRecord(entry.Key, files) is { } mapped ? mapped with { Description = seed.Description ?? decoded?.Description ?? "" } : decoded;
    }

    /// <summary>True when the record has AutoGlacier's own "status" or "started_at" (ours always write both, whatever their values).</summary>
    private static bool IsOurs(ReadOnlySpan<byte> fieldsJson)
    {
        var reader = new Utf8JsonReader(fieldsJson);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName
                && (reader.ValueTextEquals("status"u8) || reader.ValueTextEquals("started_at"u8)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Runs with each seed run's companion record shown in its place (companions are not runs of their own).</summary>
    public static List<KeyValuePair<string, RunRecord>> Overlay(List<KeyValuePair<string, RunRecord>> runs)
    {
        var companions = runs.Where(r => r.Key.EndsWith(CompanionSuffix, StringComparison.Ordinal))
            .ToDictionary(r => r.Key[..^CompanionSuffix.Length], r => r.Value, StringComparer.Ordinal);
        if (companions.Count == 0) { return runs; }
        return runs.Where(r => !r.Key.EndsWith(CompanionSuffix, StringComparison.Ordinal))
            .Select(r => companions.TryGetValue(r.Key, out var companion) ? new KeyValuePair<string, RunRecord>(r.Key, companion) : r)
            .ToList();
    }

    /// <summary>The entry holding run <paramref name="runKey"/>'s current record: its companion when it has one.</summary>
    public static RunEntry? Find(LogIndex index, string runKey) => index.Find(CompanionKey(runKey)) ?? index.Find(runKey);

    /// <summary>The key an update of run <paramref name="runKey"/> is written under: a seed run's companion, else the run itself.</summary>
    public static string UpdateKey(LogIndex index, Stream? source, string runKey)
    {
        string companion = CompanionKey(runKey);
        if (index.Find(companion) is not null) { return companion; }
        return source is FileStream log && index.Find(runKey) is { } entry && LogFile.ReadRecord(log, entry)?.Origin == SeedOrigins.JsonLog
            ? companion
            : runKey;
    }

    /// <summary>Streams a seed run's "files" array as our file records.</summary>
    public static async IAsyncEnumerable<FileRecord> ReadFilesAsync(Stream filesArray, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (SeedFileRecord? file in JsonSerializer.DeserializeAsyncEnumerable(
            filesArray, SeedJsonContext.Default.SeedFileRecord, cancellationToken).ConfigureAwait(false))
        {
            if (file?.AbsPath is not null) { yield return file.ToFileRecord(); }
        }
    }

    /// <summary>Counts the elements of the JSON array at <paramref name="range"/>, reading it in small pieces.</summary>
    private static int CountArrayItems(FileStream log, ByteRange range)
    {
        using var window = new BoundedReadStream(log, range);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var state = new JsonReaderState();
            int length = 0, count = 0;
            while (true)
            {
                int read = window.Read(buffer, length, buffer.Length - length);
                length += read;
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length), read == 0, state);
                while (reader.Read())
                {
                    if (reader.CurrentDepth == 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String
                        or JsonTokenType.Number or JsonTokenType.StartArray) { count++; }
                }
                if (read == 0) { return count; }
                int consumed = (int)reader.BytesConsumed;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
                (length, state) = (length - consumed, reader.CurrentState);
                if (length == buffer.Length) { throw new AutoGlacierException($"A file entry in the JSON log '{log.Name}' is longer than {buffer.Length} bytes."); }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
