using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoGlacier.Log;

/// <summary>
/// Source-generated (reflection-free, trim-safe) serialisation of the log's records, using the snake_case names the
/// Python seed's users see in their log.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(FileRecord))]
internal sealed partial class LogJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Writer options for one-line records (spool lines, file-list entries). The relaxed encoder keeps non-ASCII
    /// paths readable in the log; the log is never embedded in HTML, so the HTML-safety escaping buys nothing.
    /// </summary>
    internal static JsonWriterOptions CompactWriter { get; } = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writer options for the run record itself, indented like the rest of the log.</summary>
    internal static JsonWriterOptions IndentedWriter { get; } = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
