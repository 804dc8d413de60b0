using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Vaults.S3;

/// <summary>
/// A real s3rver (npm s3rver@3.7.1, from tests/s3rver's lock file) on 127.0.0.1 and a free port, with one bucket,
/// storing into a temp directory. Installs it with <c>npm ci</c> when node_modules is missing; kills it on dispose.
/// </summary>
public sealed class S3rverServer : IAsyncLifetime
{
    public const string Bucket = "autoglacier-test";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly TempDir _data = new();
    private readonly System.Text.StringBuilder _stderr = new();
    private Process? _process;

    /// <summary>False when node is missing outside CI (tests then skip); under CI=true a missing node fails.</summary>
    public bool Available { get; private set; }

    /// <summary>http://127.0.0.1:PORT of the running server.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The directory s3rver keeps objects in (to look at what it really stored).</summary>
    public string DataDirectory => _data.Path;

    /// <summary>Why the server is not available (for skip messages).</summary>
    public string? Unavailable { get; private set; }

    public static string PackageDirectory => Path.Combine(Tool.RepoRoot(), "tests", "s3rver");

    public async Task InitializeAsync()
    {
        string? node = FindOnPath("node");
        string? npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            Assert.False(Tool.InCi, "node and npm are required under CI (.ci/run installs them)");
            Unavailable = "node/npm not installed";
            return;
        }

        InstallIfMissing(npm);
        int port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _process = StartServer(node, port);
        await WaitUntilAnsweringAsync();
        Available = true;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _data.Dispose();
        return Task.CompletedTask;
    }

    private static void InstallIfMissing(string npm)
    {
        if (File.Exists(Path.Combine(PackageDirectory, "node_modules", "s3rver", "bin", "s3rver.js")))
        {
            return;
        }

        var (exit, _, stderr) = Tool.Run(npm, ["ci", "--no-audit", "--no-fund"], workingDirectory: PackageDirectory);
        Assert.True(exit == 0, $"npm ci in {PackageDirectory} failed: {stderr}");
    }

    private Process StartServer(string node, int port)
    {
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = PackageDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+) keeps in its legacy
        // provider: without it every listing longer than one page answers 500.
        foreach (string arg in new[] { "--openssl-legacy-provider", "node_modules/s3rver/bin/s3rver.js", "-d", _data.Path, "-a", "127.0.0.1",
                     "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", Bucket, "--silent" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;

        // Drain the pipes so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { lock (_stderr) { _stderr.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process!.HasExited)
            {
                Assert.Fail($"s3rver exited at start with code {_process.ExitCode}: {_stderr}");
            }

            try
            {
                // Any HTTP answer (403 for an unsigned request) means the server is listening and the bucket exists.
                using HttpResponseMessage response = await http.GetAsync(new Uri(Endpoint, Bucket));
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
