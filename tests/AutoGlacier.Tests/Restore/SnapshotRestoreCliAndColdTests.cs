using System.Text.Json;
using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Tests.Vaults.Glacier;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// A snapshot run's restore through the command line (the plan printed before the restore, and in --json) and from
/// the local Glacier server, whose retrieval jobs take time: one job per archive, all requested at once, each
/// recorded in its own run, and a later run continues with them.
/// </summary>
[Collection(PassphraseEnvironment.Name)]
public sealed class SnapshotRestoreCliAndColdTests
{
    [Fact]
    public async Task Restore_run_prints_the_plan_before_the_result_and_json_output_carries_it()
    {
        using var chain = new SnapshotChainFixture();
        await chain.BuildAsync();
        Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", BackupWorld.Passphrase);
        try
        {
            var text = await CliRun.InvokeAsync("restore", "--config", chain.World.ConfigPath, "--private-key", chain.World.PrivateKeyPath,
                "--run", chain.Runs[2], "--to", chain.World.NewDirectory("text"));
            var json = await CliRun.InvokeAsync("restore", "--config", chain.World.ConfigPath, "--private-key", chain.World.PrivateKeyPath,
                "--run", chain.Runs[2], "--include", "**/sub/d.bin", "--to", chain.World.NewDirectory("json"), "--json");

            Assert.True(text.Exit == 0, text.Err + text.Out);
            var lines = text.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("restore plan: 3 archive(s) (", lines[0], StringComparison.Ordinal);
            Assert.Contains("8 entries, 5 files", lines[0], StringComparison.Ordinal);
            for (var i = 0; i < 3; i++)
            {
                Assert.StartsWith($"  archive {chain.Archives[i]} of run {chain.Runs[i]}: ", lines[i + 1], StringComparison.Ordinal);
            }
            Assert.StartsWith($"Restored run {chain.Runs[2]} from 3 archive(s): 8 entries, 5 files verified", lines[4], StringComparison.Ordinal);
            Assert.True(json.Exit == 0, json.Err + json.Out);
            using var document = JsonDocument.Parse(json.Out);
            var plan = Assert.Single(document.RootElement.GetProperty("plan").EnumerateArray());
            Assert.Equal(chain.Archives[2], plan.GetProperty("archive_id").GetString());
            Assert.Equal((1, 1, 150_000), (plan.GetProperty("entries").GetInt32(), plan.GetProperty("files").GetInt32(), plan.GetProperty("bytes").GetInt32()));
            Assert.Equal(1, document.RootElement.GetProperty("files_verified").GetInt32());
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTOGLACIER_PASSPHRASE", null);
        }
    }

    [Fact]
    public async Task Cold_restore_requests_every_archive_at_once_records_each_job_in_its_run_and_the_next_run_continues_with_them()
    {
        await using var glacier = await LocalGlacierFixture.StartAsync(TimeSpan.FromSeconds(2));
        var world = new BackupWorld("zstd");
        using var chain = new SnapshotChainFixture(world: world);
        world.Config = ConfigLoader.LoadFile(GlacierVaultHarness.WriteGlacierConfig(world, glacier, "snapshots"));
        await chain.BuildAsync();
        var target = world.NewDirectory("restored");

        var pending = await Assert.ThrowsAsync<RetrievalPendingException>(() =>
            world.RestoreAsync(new RunSelector { RunKey = chain.Runs[2] }, target, retrieval: new RetrievalOptions { Wait = false }));

        Assert.Equal(3, glacier.Server.RequestCount("InitiateJob"));
        Assert.Contains("3 of the 3 archives", pending.Message, StringComparison.Ordinal);
        var jobs = new List<string>();
        foreach (var run in chain.Runs)
        {
            var state = (await world.Log.GetRunAsync(run, CancellationToken.None))!.BackendState;
            jobs.Add(state["retrieval_token"]);
            Assert.Contains(state["retrieval_token"], pending.Message, StringComparison.Ordinal);
        }
        Assert.Equal(3, jobs.Distinct().Count());
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));

        var restored = await world.RestoreAsync(new RunSelector { RunKey = chain.Runs[2] }, target,
            retrieval: new RetrievalOptions { PollInterval = TimeSpan.FromMilliseconds(100) });

        Assert.True(restored.ExitCode == 0, string.Join("; ", restored.Problems));
        TreeAssert.Identical(chain.Source, target);
        Assert.Equal(3, glacier.Server.RequestCount("InitiateJob"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(jobs[i], (await world.Log.GetRunAsync(chain.Runs[i], CancellationToken.None))!.BackendState["retrieval_token"]);
        }
    }
}
