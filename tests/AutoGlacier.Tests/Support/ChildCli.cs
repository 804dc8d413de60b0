using System.Diagnostics;
using System.Text;

namespace AutoGlacier.Tests.Support;

/// <summary>
/// The <c>autoglacier</c> command run as a separate process, so a test can kill it mid-run as a crash, an OOM kill
/// or a reboot would. Output is collected (never echoed: it could name paths only the test cares about).
/// </summary>
public sealed class ChildCli : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildCli(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the process printed so far (stdout and stderr, interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Whether the process ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet AutoGlacier.Cli.dll ARGS</c>.</summary>
    public static ChildCli Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts <c>dotnet AutoGlacier.Cli.dll ARGS</c> with extra <paramref name="environment"/> variables.</summary>
    public static ChildCli Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(CliDll());
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ChildCli(Process.Start(start)!);
    }

    /// <summary>Waits for the process to end by itself (killing it after <paramref name="timeout"/>); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the CLI did not finish within {timeout}; its output:\n{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Kills the process (SIGKILL: no cleanup code runs) and waits for it to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    /// <summary>The built AutoGlacier.Cli.dll.</summary>
    public static string DllPath() => CliDll();

    private static string CliDll() =>
        Directory.GetFiles(Path.Combine(Tool.RepoRoot(), "src", "AutoGlacier.Cli", "bin"), "AutoGlacier.Cli.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
