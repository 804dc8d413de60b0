using AutoGlacier.Streams;
namespace AutoGlacier.Log;

/// <summary>
/// The write side of the log: under the lock, scans the current file, lets the caller decide the one run to
/// replace or add, streams a new file next to it (other runs copied verbatim), fsyncs and renames it into place.
/// </summary>
internal static class LogRewriter
{
    /// <summary>Performs one atomic read-modify-write and returns the key of the run written.</summary>
    public static async Task<string> RewriteAsync(
        string path, TimeSpan lockTimeout, Func<LogIndex, Stream?, RunEdit> decide, CancellationToken cancellationToken)
    {
        string fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using LogLock held = await LogLock.AcquireAsync(fullPath + ".lock", lockTimeout, cancellationToken).ConfigureAwait(false);
        string temp = $"{fullPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            string key = await WriteTempAsync(fullPath, temp, decide, cancellationToken).ConfigureAwait(false);
            File.Move(temp, fullPath, overwrite: true);
            return key;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static async Task<string> WriteTempAsync(
        string fullPath, string temp, Func<LogIndex, Stream?, RunEdit> decide, CancellationToken cancellationToken)
    {
        // The source is closed before the rename: Windows will not replace a file that is still open.
        await using FileStream? source = LogFile.OpenRead(fullPath);
        LogIndex index = source is null ? LogIndex.Empty : LogScanner.Scan(source, fullPath);
        RunEdit edit = decide(index, source);
        await using var output = new FileStream(temp, NewFileOptions.Create(FileAccess.Write, 0, CreateMode(fullPath, source is not null)));
        await WriteLogAsync(output, source, index, edit, cancellationToken).ConfigureAwait(false);
        FlushToDisk(output);
        return edit.Key;
    }

    private static async Task WriteLogAsync(
        Stream output, Stream? source, LogIndex index, RunEdit edit, CancellationToken cancellationToken)
    {
        var writer = new RunJsonWriter(output);
        writer.BeginDocument();
        bool written = false;
        foreach (RunEntry run in index.Runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!written && run.Key == edit.Key)
            {
                await writer.WriteRunAsync(edit.Key, edit.Record, edit.Files, cancellationToken).ConfigureAwait(false);
                written = true;
            }
            else
            {
                await writer.CopyRunAsync(source!, run, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!written)
        {
            await writer.WriteRunAsync(edit.Key, edit.Record, edit.Files, cancellationToken).ConfigureAwait(false);
        }

        await writer.EndDocumentAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the existing log's permissions; a new log is private to the user (it lists their files).</summary>
    private static UnixFileMode CreateMode(string fullPath, bool exists) =>
        exists && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(fullPath) : NewFileOptions.Private;

    /// <summary>fsync before the rename, so a crash leaves the old log or the new one, never a torn one.</summary>
    private static void FlushToDisk(FileStream stream) => stream.Flush(flushToDisk: true);
}
