using System.Text.Json;
using AutoGlacier.Migration.Seed;

namespace AutoGlacier.Log;

/// <summary>Reading side of the log: opens a consistent snapshot and decodes records from their byte ranges.</summary>
internal static class LogFile
{
    /// <summary>
    /// Opens the log for reading, or returns null when it does not exist. Writers replace the file by rename, so
    /// one open handle always sees one complete version, without taking the lock.
    /// </summary>
    public static FileStream? OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decodes a run's record from its members other than "files" (so a million-file list is never read), or null
    /// when the value is not an AutoGlacier record (e.g. a hand-made or foreign entry, kept verbatim but not listed).
    /// </summary>
    public static RunRecord? ReadRecord(FileStream log, RunEntry entry)
    {
        if (!entry.IsObject)
        {
            return null;
        }

        byte[] json = new byte[entry.Fields.Sum(f => f.Length + 1) + 2];
        int at = 0;
        json[at++] = (byte)'{';
        foreach (ByteRange field in entry.Fields)
        {
            at += ReadExactly(log, field, json.AsSpan(at, (int)field.Length));
            json[at++] = (byte)',';
        }

        at = entry.Fields.Count > 0 ? at - 1 : at;
        json[at++] = (byte)'}';
        try
        {
            RunRecord? record = JsonSerializer.Deserialize(json.AsSpan(0, at), LogJsonContext.Default.RunRecord);
            // Every AutoGlacier record has started_at; one without may be the Python seed's (docs/MIGRATION.md).
            return record is { StartedAt.Ticks: 0 } ? SeedLog.ReadRecord(log, entry, json.AsSpan(0, at), record) : record;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int ReadExactly(FileStream log, ByteRange range, Span<byte> target)
    {
        int done = 0;
        while (done < target.Length)
        {
            int read = RandomAccess.Read(log.SafeFileHandle, target[done..], range.Start + done);
            if (read == 0)
            {
                throw new EndOfStreamException($"The JSON log '{log.Name}' ended inside a run record.");
            }

            done += read;
        }

        return done;
    }
}
