using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoGlacier.Log;

/// <summary>
/// Writes a log (or a one-run manifest document) as <c>{ "key": { …record…, "files": [ … ] }, … }</c>. Other runs
/// are copied byte for byte; this run's record is serialised, and its file list is streamed one line per file,
/// so neither the log nor the file list is ever held in memory.
/// </summary>
internal sealed class RunJsonWriter(Stream destination)
{
    private readonly OutputBuffer _out = new(destination);
    private bool _anyRun;

    /// <summary>Opens the top-level object.</summary>
    public void BeginDocument() => _out.Write("{"u8);

    /// <summary>Copies another run verbatim from <paramref name="source"/>.</summary>
    public ValueTask CopyRunAsync(Stream source, RunEntry entry, CancellationToken cancellationToken)
    {
        WriteKey(entry.Key);
        return _out.CopyRangeAsync(source, entry.Value, cancellationToken);
    }

    /// <summary>Writes a run from its record; <paramref name="files"/> null leaves "files" out (a started run).</summary>
    public async ValueTask WriteRunAsync(string key, RunRecord record, FilesWriter? files, CancellationToken cancellationToken)
    {
        WriteKey(key);
        ReadOnlySpan<byte> body = SerializeRecordBody(record);
        _out.WriteIndented(body, "  "u8);
        if (files is not null)
        {
            _out.Write(body[^1] == (byte)'{' ? "\n    \"files\": "u8 : ",\n    \"files\": "u8);
            await files(_out, cancellationToken).ConfigureAwait(false);
        }

        _out.Write("\n  }"u8);
        await _out.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the top-level object and writes everything pending.</summary>
    public ValueTask EndDocumentAsync(CancellationToken cancellationToken)
    {
        _out.Write(_anyRun ? "\n}\n"u8 : "}\n"u8);
        return _out.FlushAsync(cancellationToken);
    }

    /// <summary>A <see cref="FilesWriter"/> streaming the spool's lines as the array's elements.</summary>
    public static FilesWriter FromSpool(FileRecordSpool spool) => async (output, cancellationToken) =>
    {
        output.Write("["u8);
        bool first = true;
        foreach (ReadOnlyMemory<byte> line in spool.ReadLines())
        {
            output.Write(first ? "\n      "u8 : ",\n      "u8);
            output.Write(line.Span);
            first = false;
            await output.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }

        output.Write(first ? "]"u8 : "\n    ]"u8);
    };

    /// <summary>A <see cref="FilesWriter"/> copying an existing "files" value verbatim.</summary>
    public static FilesWriter FromRange(Stream source, ByteRange range) =>
        (output, cancellationToken) => output.CopyRangeAsync(source, range, cancellationToken);

    private void WriteKey(string key)
    {
        _out.Write(_anyRun ? ",\n  "u8 : "\n  "u8);
        _anyRun = true;
        _out.Write("\""u8);
        _out.Write(JsonEncodedText.Encode(key, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
        _out.Write("\": "u8);
    }

    /// <summary>The record as indented JSON without its closing brace, so "files" can follow its members.</summary>
    private static ReadOnlySpan<byte> SerializeRecordBody(RunRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, LogJsonContext.IndentedWriter))
        {
            JsonSerializer.Serialize(writer, record, LogJsonContext.Default.RunRecord);
        }

        ReadOnlySpan<byte> json = buffer.WrittenSpan;
        return json[..json.LastIndexOf((byte)'}')].TrimEnd("\r\n "u8);
    }
}
