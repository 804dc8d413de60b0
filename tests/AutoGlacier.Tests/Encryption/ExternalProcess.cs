using System.Diagnostics;

namespace AutoGlacier.Tests.Encryption;

/// <summary>Runs openssl or python; secrets go through environment variables, never the command line.</summary>
internal static class ExternalProcess
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    public static Result Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.ToArray(), stderr.Result);
    }
}
