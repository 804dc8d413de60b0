using AutoGlacier.Cli;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

[Collection(PassphraseEnvironment.Name)]
public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Backup_list_verify_restore_through_the_command_line()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "from the cli");

        var backup = await RunAsync("backup", "--config", world.ConfigPath, "--file", source, "--recursive", "--description", "cli test");
        Assert.True(backup.Code == 0, backup.Err + backup.Out);

        var list = await RunAsync("list", "--config", world.ConfigPath);
        Assert.Contains("cli test", list.Out);
        var json = await RunAsync("list", "--config", world.ConfigPath, "--json");
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Out);
        var runKey = Assert.Single(parsed.RootElement.GetProperty("runs").EnumerateArray()).GetProperty("run_key").GetString()!;

        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", BackupWorld.Passphrase);
        try
        {
            var verify = await RunAsync("verify", "--config", world.ConfigPath, "--run", runKey, "--private-key", world.PrivateKeyPath);
            Assert.True(verify.Code == 0, verify.Err + verify.Out);
            var target = world.NewDirectory("restored");
            var restore = await RunAsync("restore", "--config", world.ConfigPath, "--private-key", world.PrivateKeyPath, "--latest", "--to", target);
            Assert.True(restore.Code == 0, restore.Err + restore.Out);
            Assert.Equal("from the cli", File.ReadAllText(BackupWorld.Restored(target, Path.Combine(source, "a.txt"))));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task Usage_errors_exit_with_2_and_say_what_is_wrong()
    {
        using var world = new BackupWorld("none");
        var unknownOption = await RunAsync("backup", "--config", world.ConfigPath, "--frobnicate");
        Assert.Equal(ExitCodes.Usage, unknownOption.Code);
        var noSelector = await RunAsync("restore", "--config", world.ConfigPath, "--private-key", world.PrivateKeyPath, "--to", world.Root);
        Assert.Equal(ExitCodes.Usage, noSelector.Code);
        Assert.Contains("--run KEY, --latest, --archive ID", noSelector.Err);
        var nothing = await RunAsync("backup", "--config", world.ConfigPath);
        Assert.Equal(ExitCodes.Usage, nothing.Code);
        var badConfig = await RunAsync("list", "--config", Path.Combine(world.Root, "missing.json"));
        Assert.Equal(ExitCodes.Usage, badConfig.Code);
        Assert.Contains("missing.json", badConfig.Err);
    }

    [Fact]
    public async Task Keygen_writes_a_pair_and_refuses_to_overwrite()
    {
        using var dir = new TempDir();
        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", "keygen test passphrase");
        try
        {
            var args = new[] { "keygen", "--private-key", dir.Combine("k.pem"), "--public-key", dir.Combine("k.pub.pem"), "--bits", "2048" };
            var first = await RunAsync(args);
            Assert.True(first.Code == 0, first.Err);
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(dir.Combine("k.pub.pem")));
            var second = await RunAsync(args);
            Assert.Equal(ExitCodes.Error, second.Code);
            Assert.DoesNotContain("keygen test passphrase", second.Err + second.Out + first.Out);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task Resume_with_nothing_unfinished_says_so_and_succeeds()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "done");
        Assert.Equal(ExitCodes.Success, (await world.BackupAsync([source])).ExitCode);

        var resume = await RunAsync("resume", "--config", world.ConfigPath);

        Assert.True(resume.Code == ExitCodes.Success, resume.Err);
        Assert.Contains("Nothing to resume", resume.Out, StringComparison.Ordinal);
    }
}
