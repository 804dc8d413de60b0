using System.Diagnostics;

namespace AutoGlacier.Tests.Compression;

/// <summary>Runs a real command-line tool (xz, zstd) with bytes on stdin, to prove interoperability.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    public static Result Run(string tool, string arguments, byte[] stdin)
    {
        var path = FindTool(tool);
        var start = new ProcessStartInfo(path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        readOut.Wait();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.ToArray(), readErr.Result);
    }

    /// <summary>Decodes with the tool and returns stdout, failing the test if the tool reports an error.</summary>
    public static byte[] Decode(string tool, byte[] compressed)
    {
        var result = Run(tool, "-d -c", compressed);
        Assert.True(result.ExitCode == 0, $"{tool} -d failed ({result.ExitCode}): {result.Stderr}");
        return result.Stdout;
    }

    private static string FindTool(string tool)
    {
        foreach (var directory in new[] { "/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin" })
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"These tests need the '{tool}' command (apt-get install xz-utils zstd).");
    }
}
