using System.Diagnostics;

namespace AutoGlacier.Tests.Support;

/// <summary>Runs real external programs (xz, tar, openssl, python3) as independent checkers.</summary>
public static class Tool
{
    /// <summary>True under CI, where every tool must be present and nothing is skipped.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="path"/> exists; under CI a missing tool fails the test instead.</summary>
    public static bool Available(string path)
    {
        if (File.Exists(path)) { return true; }
        Assert.False(InCi, $"{path} is required under CI (.ci/run installs it)");
        return false;
    }

    /// <summary>Runs a program, feeding <paramref name="stdin"/> and returning (exit code, stdout bytes, stderr text).</summary>
    public static (int ExitCode, byte[] Stdout, string Stderr) Run(string fileName, IEnumerable<string> args,
        byte[]? stdin = null, string? workingDirectory = null, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args) { info.ArgumentList.Add(arg); }
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) { info.Environment[key] = value; }
        using var process = Process.Start(info)!;
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) { process.StandardInput.BaseStream.Write(stdin); }
        process.StandardInput.Close();
        copyOut.Wait();
        process.WaitForExit();
        return (process.ExitCode, stdout.ToArray(), stderr.Result);
    }

    /// <summary>Finds the repository root (the directory holding AutoGlacier.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGlacier.sln"))) { return dir.FullName; }
        }
        throw new InvalidOperationException("AutoGlacier.sln not found above " + AppContext.BaseDirectory);
    }
}
