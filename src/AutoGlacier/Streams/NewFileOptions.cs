namespace AutoGlacier.Streams;

/// <summary>Options for creating a new file with given Unix permissions (ignored on Windows, which has ACLs).</summary>
internal static class NewFileOptions
{
    /// <summary>User read/write only: for files that list the user's files.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Options for <see cref="FileMode.CreateNew"/> with <paramref name="unixMode"/> where supported.</summary>
    public static FileStreamOptions Create(FileAccess access, int bufferSize, UnixFileMode unixMode, FileOptions fileOptions = FileOptions.None)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = access,
            Share = access == FileAccess.ReadWrite ? FileShare.Read : FileShare.None,
            BufferSize = bufferSize,
            Options = fileOptions,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        return options;
    }
}
