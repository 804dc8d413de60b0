using System.Text.Json;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

/// <summary><c>init</c>: a working configuration (and key pair) from options; never overwrites; the quick start works from it.</summary>
[Collection(PassphraseEnvironment.Name)]
public class CliInitTests
{
    [Fact]
    public async Task Init_then_backup_list_restore_is_the_quick_start()
    {
        using var dir = new TempDir();
        string config = dir.Combine("conf", "config.json");
        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", "init passphrase");
        try
        {
            var init = await CliRun.InvokeAsync("init", "--config", config, "--generate-key", "--private-key", dir.Combine("offline", "priv.pem"),
                "--public-key", dir.Combine("conf", "pub.pem"), "--vault-dir", dir.Combine("vault"), "--compression", "zstd", "--json");
            Assert.True(init.Exit == 0, init.Err);
            using var written = JsonDocument.Parse(init.Out);
            Assert.Contains("autoglacier backup --config " + config, written.RootElement.GetProperty("next_command").GetString());
            File.WriteAllText(dir.Combine("data.txt"), "quick start");

            var backup = await CliRun.InvokeAsync("backup", "--config", config, "--file", dir.Combine("data.txt"));
            Assert.True(backup.Exit == 0, backup.Err);
            var list = await CliRun.InvokeAsync("list", "--config", config);
            Assert.Contains("succeeded", list.Out);
            var restore = await CliRun.InvokeAsync("restore", "--config", config, "--latest", "--private-key", dir.Combine("offline", "priv.pem"), "--to", dir.Combine("back"));
            Assert.True(restore.Exit == 0, restore.Err);
            Assert.Equal("quick start", File.ReadAllText(BackupWorld.Restored(dir.Combine("back"), dir.Combine("data.txt"))));

            var again = await CliRun.InvokeAsync("init", "--config", config, "--key", dir.Combine("conf", "pub.pem"));
            Assert.Equal(ExitCodes.Error, again.Exit);
            Assert.Contains("Refusing to overwrite", again.Err);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task A_cloud_config_missing_what_it_needs_is_a_usage_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("pub.pem"), "");
        var noBucket = await CliRun.InvokeAsync("init", "--config", dir.Combine("s3.json"), "--backend", "s3", "--key", dir.Combine("pub.pem"));
        Assert.Equal(ExitCodes.Usage, noBucket.Exit);
        Assert.Contains("S3_BUCKET is required", noBucket.Err);
        Assert.False(File.Exists(dir.Combine("s3.json")));

        var noKey = await CliRun.InvokeAsync("init", "--config", dir.Combine("local.json"));
        Assert.Equal(ExitCodes.Usage, noKey.Exit);
        Assert.Contains("--generate-key", noKey.Err);
    }
}
