using System.Text.RegularExpressions;
using Amazon.Runtime;
using AutoGlacier.Cli;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults.Glacier;
using static AutoGlacier.Tests.Vaults.Glacier.GlacierVaultHarness;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary><c>autoglacier local-glacier</c> serves a vault a GlacierVault can use, and stops when cancelled.</summary>
public sealed class LocalGlacierCommandTests
{
    [Fact]
    public async Task The_command_serves_on_the_printed_port_with_the_given_keys_and_stops_on_cancel()
    {
        using var dir = new TempDir();
        var text = new StringWriter();
        var output = TextWriter.Synchronized(text);
        string Printed() { lock (output) { return text.ToString(); } }
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        Task<int> running = CliApp.InvokeAsync(
            ["local-glacier", "--port", "0", "--dir", dir.Combine("data"), "--access-key", "AKIDCMD", "--secret-key", "cmd-secret", "--fault", "UploadArchive:1:503"],
            output, TextWriter.Null, stop.Token);

        Uri endpoint = await WaitForEndpointAsync(Printed, running);
        using (var vault = new GlacierVault(new GlacierSettings
        {
            Region = "us-east-1",
            VaultName = "cmd",
            Credentials = new BasicAWSCredentials("AKIDCMD", "cmd-secret"),
            Endpoint = endpoint,
            PartSizeMb = 1,
            CreateVault = true,
            BaseRetryDelay = TimeSpan.FromMilliseconds(5),
        }))
        {
            byte[] data = RandomBytes(2000, seed: 1);
            var stored = await StoreAsync(vault, data); // the first UploadArchive gets the injected 503 and is retried
            Assert.Equal(data, await ReadAsync(vault, stored.ArchiveId));
        }

        Assert.True(Directory.Exists(dir.Combine("data", "vaults", "cmd")));
        Assert.DoesNotContain("cmd-secret", Printed(), StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await running);
    }

    private static async Task<Uri> WaitForEndpointAsync(Func<string> printed, Task<int> running)
    {
        for (int i = 0; i < 200 && !running.IsCompleted; i++)
        {
            Match match = Regex.Match(printed(), @"listening on (http://127\.0\.0\.1:\d+/?)");
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value);
            }

            await Task.Delay(50);
        }

        Assert.Fail($"local-glacier did not start: {printed()}");
        return null!;
    }
}
