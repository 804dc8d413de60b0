namespace AutoGlacier.Encryption;

/// <summary>
/// Writes a key file all at once: a temporary file in the same directory, flushed to disk, then moved into place
/// without replacing anything, so a crash never leaves half a key and an existing key is never overwritten.
/// </summary>
internal static class AtomicKeyFile
{
    public static void EnsureAbsent(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new AutoGlacierException($"Refusing to overwrite the existing file '{path}': move it away or choose another path.");
        }
    }

    // ownerOnly: create with mode 0600 on Unix, for private keys; the mode is set at creation, never widened.
    public static void Write(string path, string text, bool ownerOnly)
    {
        var fullPath = Path.GetFullPath(path);
        CreateParent(Path.GetDirectoryName(fullPath)!, ownerOnly);
        var temp = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, CreateOptions(ownerOnly)))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            // overwrite: false refuses to replace a file that appeared since EnsureAbsent.
            File.Move(temp, fullPath, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new AutoGlacierException($"Cannot write the key file '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates a missing parent directory (and its missing ancestors): owner-only (0700) for a private key, so the
    /// directory that holds it is as private as the key. An existing directory is left as it is.
    /// </summary>
    private static void CreateParent(string directory, bool ownerOnly)
    {
        if (Directory.Exists(directory)) { return; }
        try
        {
            if (ownerOnly && !OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            else
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoGlacierException($"The directory '{directory}' for the key file does not exist and cannot be created: {e.Message}", e);
        }
    }

    private static FileStreamOptions CreateOptions(bool ownerOnly)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }
}
