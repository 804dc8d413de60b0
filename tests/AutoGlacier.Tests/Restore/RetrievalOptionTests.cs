using AutoGlacier.Configuration;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Restore;

/// <summary>The retrieval options of restore and verify: tier spelling, bad values as usage errors, the poll interval by tier.</summary>
public sealed class RetrievalOptionTests
{
    [Theory]
    [InlineData("bulk", "Bulk")]
    [InlineData("STANDARD", "Standard")]
    [InlineData("Expedited", "Expedited")]
    [InlineData(null, null)]
    public void Tiers_are_accepted_in_any_case_and_spelled_as_the_vaults_want(string? given, string? expected) =>
        Assert.Equal(expected, new RetrievalOptions { Tier = given }.CheckedTier());

    [Fact]
    public void Bad_tier_days_or_intervals_are_configuration_errors_naming_what_is_allowed()
    {
        var tier = Assert.Throws<ConfigurationException>(() => new RetrievalOptions { Tier = "Glacial" }.CheckedTier());
        Assert.Contains("allowed: Bulk, Standard, Expedited", tier.Message, StringComparison.Ordinal);
        Assert.Contains("1–365", Assert.Throws<ConfigurationException>(() => new RetrievalOptions { Days = 0 }.CheckedTier()).Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => new RetrievalOptions { Days = 366 }.CheckedTier());
        Assert.Throws<ConfigurationException>(() => new RetrievalOptions { PollInterval = TimeSpan.Zero }.CheckedTier());
        Assert.Throws<ConfigurationException>(() => new RetrievalOptions { MaxWait = TimeSpan.FromSeconds(-1) }.CheckedTier());
    }

    [Fact]
    public void The_poll_interval_follows_the_tier_unless_given()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), new RetrievalOptions().IntervalFor("Expedited"));
        Assert.Equal(TimeSpan.FromMinutes(15), new RetrievalOptions().IntervalFor("Standard"));
        Assert.Equal(TimeSpan.FromMinutes(15), new RetrievalOptions().IntervalFor("Bulk"));
        Assert.Equal(TimeSpan.FromSeconds(5), new RetrievalOptions { PollInterval = TimeSpan.FromSeconds(5) }.IntervalFor("Expedited"));
    }

    [Theory]
    [InlineData("--tier", "Glacial", "--tier \"Glacial\" is not a retrieval tier; allowed: Bulk, Standard, Expedited.")]
    [InlineData("--days", "0", "--days 0 is out of range; allowed: 1-365.")]
    [InlineData("--days", "400", "--days 400 is out of range; allowed: 1-365.")]
    [InlineData("--poll-interval", "15", "--poll-interval \"15\" is not a duration")]
    [InlineData("--poll-interval", "0s", "--poll-interval \"0s\" is not a duration")]
    [InlineData("--max-wait", "soon", "--max-wait \"soon\" is not a duration")]
    public async Task Bad_retrieval_options_are_usage_errors_for_restore_and_verify(string option, string value, string message)
    {
        using var world = new BackupWorld("none");
        string[][] commands =
        [
            ["restore", "--config", world.ConfigPath, "--private-key", world.PrivateKeyPath, "--latest", "--to", world.NewDirectory("to"), option, value],
            ["verify", "--config", world.ConfigPath, "--latest", option, value],
        ];
        foreach (string[] args in commands)
        {
            var (exit, _, error) = await CliRun.InvokeAsync(args);

            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("250ms")]
    [InlineData("30s")]
    [InlineData("1.5m")]
    [InlineData("2h")]
    [InlineData("1d")]
    public async Task Durations_with_a_unit_are_accepted(string text)
    {
        // A valid duration passes parsing: the command gets as far as the empty log (exit 1, "no completed run").
        using var world = new BackupWorld("none");

        var (exit, _, error) = await CliRun.InvokeAsync("verify", "--config", world.ConfigPath, "--latest", "--poll-interval", text, "--max-wait", text);

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("has no completed run", error, StringComparison.Ordinal);
    }
}
