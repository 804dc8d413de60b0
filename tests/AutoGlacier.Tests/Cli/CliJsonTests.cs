using System.Text.Json;
using AutoGlacier.Log;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Cli;

/// <summary>--json: one document on stdout for every command (docs/CLI-JSON.md), progress as JSON lines on stderr.</summary>
[Collection(PassphraseEnvironment.Name)]
public class CliJsonTests
{
    [Fact]
    public async Task Backup_restore_verify_list_resume_print_one_json_document_each()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "json");

        using var backup = Parse(await CliRun.InvokeAsync("backup", "--config", world.ConfigPath, "--file", source, "--recursive", "--json"));
        Assert.Equal("backup", backup.RootElement.GetProperty("command").GetString());
        Assert.Equal(0, backup.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Equal(RunStatus.Succeeded, backup.RootElement.GetProperty("status").GetString());
        string runKey = backup.RootElement.GetProperty("run_key").GetString()!;
        Assert.Equal((2, 2, 2), (backup.RootElement.GetProperty("files_stored").GetInt32(), backup.RootElement.GetProperty("files_read").GetInt32(),
            backup.RootElement.GetProperty("files_total").GetInt32()));

        using var list = Parse(await CliRun.InvokeAsync("list", "--config", world.ConfigPath, "--json"));
        var run = Assert.Single(list.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal(runKey, run.GetProperty("run_key").GetString());
        Assert.Equal("record", run.GetProperty("started_at_source").GetString());
        Assert.Equal(2, run.GetProperty("files_stored").GetInt32()); // the directory and the file

        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", BackupWorld.Passphrase);
        try
        {
            using var verify = Parse(await CliRun.InvokeAsync("verify", "--config", world.ConfigPath, "--latest", "--private-key", world.PrivateKeyPath, "--json"));
            Assert.Equal(1, verify.RootElement.GetProperty("files_verified").GetInt32());
            using var restore = Parse(await CliRun.InvokeAsync("restore", "--config", world.ConfigPath, "--latest", "--private-key", world.PrivateKeyPath,
                "--to", world.NewDirectory("restored"), "--json"));
            Assert.Equal("restore", restore.RootElement.GetProperty("command").GetString());
            Assert.Equal(0, restore.RootElement.GetProperty("problems").GetArrayLength());
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }

        using var resume = Parse(await CliRun.InvokeAsync("resume", "--config", world.ConfigPath, "--json"));
        Assert.Equal(0, resume.RootElement.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task Errors_are_json_documents_too_with_the_exit_code()
    {
        using var dir = new TempDir();
        var missing = await CliRun.InvokeAsync("list", "--config", dir.Combine("missing.json"), "--json");
        Assert.Equal(ExitCodes.Usage, missing.Exit);
        using var document = JsonDocument.Parse(missing.Out);
        Assert.Equal(ExitCodes.Usage, document.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Contains("missing.json", document.RootElement.GetProperty("error").GetString());

        var badOption = await CliRun.InvokeAsync("backup", "--frobnicate", "--json");
        Assert.Equal(ExitCodes.Usage, badOption.Exit);
        Assert.Equal(ExitCodes.Usage, JsonDocument.Parse(badOption.Out).RootElement.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task Without_a_terminal_json_progress_goes_to_stderr_as_lines_and_stdout_stays_one_document()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        File.WriteAllBytes(Path.Combine(source, "data.bin"), TreeBuilder.Pseudo(4 << 20, 3));

        var run = await CliRun.InvokeAsync("backup", "--config", world.ConfigPath, "--file", source, "--recursive", "--json", "--progress-interval", "1ms");

        Assert.True(run.Exit == 0, run.Err);
        using var result = JsonDocument.Parse(run.Out); // exactly one document: Parse fails on trailing content
        var statuses = run.Err.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("status", s.GetProperty("message_type").GetString()));
        var last = statuses[^1];
        Assert.Equal("stored", last.GetProperty("phase").GetString());
        Assert.Equal(4 << 20, last.GetProperty("bytes_read").GetInt64());
        Assert.Equal(4 << 20, last.GetProperty("bytes_total").GetInt64());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("parts_in_flight").ValueKind); // the local vault has no multipart upload
    }

    private static JsonDocument Parse((int Exit, string Out, string Err) run)
    {
        Assert.True(run.Exit == 0, run.Err + run.Out);
        return JsonDocument.Parse(run.Out);
    }
}
