namespace AutoGlacier.Tests.Support;

/// <summary>A fresh temporary directory, deleted (with everything in it) on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ag-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating parent directories) and returns its full path.</summary>
    public string Write(string relative, byte[] content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Makes a FIFO (with the system's mkfifo) at <paramref name="relative"/> and returns its full path.</summary>
    public string Fifo(string relative)
    {
        var full = Combine(relative);
        var made = Tool.Run("/usr/bin/mkfifo", [full]);
        return made.ExitCode == 0 ? full : throw new InvalidOperationException($"mkfifo {full} failed: {made.Stderr}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp dir must not fail a test */ }
    }
}
