using System.Text.Json;

namespace AutoGlacier.Log;

/// <summary>
/// Turns the token stream of a log into a <see cref="LogIndex"/>: depth 1 holds the runs, depth 2 a run's members.
/// Everything deeper (file lists, dictionaries) is only validated, never kept.
/// </summary>
internal sealed class ScanTracker(string displayPath)
{
    private bool _sawRoot;
    private RunEntry? _run;
    private long _runStart;
    private string? _fieldName;
    private long _fieldStart;
    private long _fieldValueStart;

    /// <summary>The runs found so far.</summary>
    public LogIndex Index { get; } = new();

    /// <summary>Processes the reader's current token; offsets are absolute file positions.</summary>
    public void OnToken(ref Utf8JsonReader reader, long bufferOffset)
    {
        long start = bufferOffset + reader.TokenStartIndex;
        long end = bufferOffset + reader.BytesConsumed;
        if (!_sawRoot)
        {
            _sawRoot = true;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("its top level is not a JSON object (expected '{ \"<run key>\": { … } }')", null);
            }

            return;
        }

        switch (reader.CurrentDepth)
        {
            case 1:
                OnRunToken(ref reader, start, end);
                break;
            case 2 when _run is { IsObject: true }:
                OnFieldToken(ref reader, start, end);
                break;
        }
    }

    /// <summary>The error for an unusable log: names the file, the problem and what to do.</summary>
    public AutoGlacierException Invalid(string problem, Exception? inner)
    {
        string message = $"The JSON log '{displayPath}' cannot be used: {problem}. " +
            "Fix or move it away; AutoGlacier never overwrites an invalid log.";
        return inner is null ? new AutoGlacierException(message) : new AutoGlacierException(message, inner);
    }

    private void OnRunToken(ref Utf8JsonReader reader, long start, long end)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _run = new RunEntry(reader.GetString()!);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                _runStart = start;
                _run!.IsObject = reader.TokenType == JsonTokenType.StartObject;
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                FinishRun(_runStart, end);
                break;
            default:
                FinishRun(start, end);
                break;
        }
    }

    private void FinishRun(long start, long end)
    {
        _run!.Value = new ByteRange(start, end);
        Index.Add(_run);
        _run = null;
    }

    private void OnFieldToken(ref Utf8JsonReader reader, long start, long end)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _fieldName = reader.GetString();
                _fieldStart = start;
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                _fieldValueStart = start;
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                FinishField(end);
                break;
            default:
                _fieldValueStart = start;
                FinishField(end);
                break;
        }
    }

    private void FinishField(long end)
    {
        if (_fieldName == "files")
        {
            _run!.Files = new ByteRange(_fieldValueStart, end);
        }
        else
        {
            _run!.Fields.Add(new ByteRange(_fieldStart, end));
        }
    }
}
