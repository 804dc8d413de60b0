using AutoGlacier.Streams;
using System.Buffers;
using System.Text.Json;

namespace AutoGlacier.Log;

/// <summary>
/// An append-only temporary file of <see cref="FileRecord"/>s (one JSON object per line) that a run fills as it
/// reads files, so the file list never has to sit in memory. Deleted on dispose.
/// </summary>
internal sealed class FileRecordSpool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _writer;
    private int _count;
    private bool _disposed;

    /// <summary>Creates an empty spool in <paramref name="tmpDir"/> (created if missing).</summary>
    public FileRecordSpool(string tmpDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(tmpDir);
        Directory.CreateDirectory(tmpDir);
        FilePath = System.IO.Path.Combine(tmpDir, $"autoglacier-files-{Guid.NewGuid():N}.ndjson");
        // The list names every backed-up file: keep it private to the user like the log itself.
        _stream = new FileStream(FilePath, NewFileOptions.Create(FileAccess.ReadWrite, 64 * 1024, NewFileOptions.Private));
        _writer = new Utf8JsonWriter(_line, LogJsonContext.CompactWriter);
    }

    /// <summary>The spool file's path (in TMP_DIR).</summary>
    public string FilePath { get; }

    /// <summary>Number of records appended.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Appends one record. Safe to call from several threads.</summary>
    public void Append(FileRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _line.ResetWrittenCount();
            _writer.Reset();
            JsonSerializer.Serialize(_writer, record, LogJsonContext.Default.FileRecord);
            _line.Write("\n"u8);
            _stream.Write(_line.WrittenSpan);
            _count++;
        }
    }

    /// <summary>Reads the records back in order (the spool can be read several times).</summary>
    public IEnumerable<FileRecord> ReadAll()
    {
        foreach (ReadOnlyMemory<byte> line in ReadLines())
        {
            yield return JsonSerializer.Deserialize(line.Span, LogJsonContext.Default.FileRecord)
                ?? throw new InvalidDataException($"The file-list spool '{FilePath}' holds a null record.");
        }
    }

    /// <summary>The raw JSON lines; each slice is valid until the next is requested.</summary>
    internal IEnumerable<ReadOnlyMemory<byte>> ReadLines()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _stream.Flush();
        }

        using var reader = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        foreach (ReadOnlyMemory<byte> line in NdjsonLines.Read(reader))
        {
            yield return line;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
            _stream.Dispose();
            File.Delete(FilePath);
        }
    }
}
