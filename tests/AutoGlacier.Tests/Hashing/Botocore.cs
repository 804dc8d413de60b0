using System.Diagnostics;

namespace AutoGlacier.Tests.Hashing;

/// <summary>
/// Runs botocore's <c>calculate_tree_hash</c> (Debian python3-botocore) as an independent implementation.
/// </summary>
internal static class Botocore
{
    private const string Python = "/usr/bin/python3";
    private const string Script = "import sys; from botocore.utils import calculate_tree_hash; print(calculate_tree_hash(open(sys.argv[1],'rb')))";

    private static readonly Lazy<string?> MissingReason = new(FindMissingReason);

    /// <summary>Why botocore cannot run here, or null when it can.</summary>
    public static string? WhyUnavailable => MissingReason.Value;

    /// <summary>CI must never skip the cross-check silently.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string TreeHashOfFile(string path)
    {
        var (exitCode, output, error) = Run(Python, "-c", Script, path);
        Assert.True(exitCode == 0, $"botocore failed ({exitCode}): {error}");
        return output.Trim();
    }

    private static string? FindMissingReason()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed";
        }

        try
        {
            var (exitCode, _, error) = Run(Python, "-c", "import botocore.utils");
            return exitCode == 0 ? null : $"python3-botocore is not importable: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot run: {e.Message}";
        }
    }

    private static (int ExitCode, string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }
}
