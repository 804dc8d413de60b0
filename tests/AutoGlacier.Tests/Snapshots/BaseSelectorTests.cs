using AutoGlacier.Snapshots;
using static AutoGlacier.Tests.Snapshots.SnapshotTestData;

namespace AutoGlacier.Tests.Snapshots;

public class BaseSelectorTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 1, 1, 3, 0, 0, TimeSpan.Zero);

    private static SnapshotRun Run(int day, SnapshotKind kind = SnapshotKind.Full, int? baseDay = null, bool usable = true, SeriesId? series = null) =>
        new($"{day:D3}", Day0.AddDays(day), usable, series ?? Series, kind, baseDay is { } b ? $"{b:D3}" : null);

    private static BaseChoice Choose(IEnumerable<SnapshotRun> runs, BackupMode mode = BackupMode.Incremental, TimeSpan? fullEvery = null, bool force = false, int today = 10) =>
        BaseSelector.Choose(runs, Series, mode, fullEvery, force, new ManualClock(Day0.AddDays(today)));

    [Fact]
    public void The_first_run_of_a_series_is_a_full()
    {
        Assert.Equal(SnapshotKind.Full, Choose([Run(1, series: Series with { Location = "/other" })]).Kind);
    }

    [Fact]
    public void Incremental_is_based_on_the_previous_snapshot_with_its_whole_chain()
    {
        var choice = Choose([Run(1), Run(2, SnapshotKind.Incremental, 1), Run(3, SnapshotKind.Incremental, 2)]);

        Assert.Equal((SnapshotKind.Incremental, "003"), (choice.Kind, choice.Base));
        Assert.Equal(["001", "002", "003"], choice.Chain);
    }

    [Fact]
    public void Differential_is_based_on_the_last_full()
    {
        var choice = Choose([Run(1), Run(2, SnapshotKind.Differential, 1), Run(5), Run(6, SnapshotKind.Differential, 5)], BackupMode.Differential);

        Assert.Equal(SnapshotKind.Differential, choice.Kind);
        Assert.Equal(["005"], choice.Chain);
    }

    [Fact]
    public void A_failed_run_is_never_a_base_nor_anything_built_on_it()
    {
        var runs = new[] { Run(1), Run(2, SnapshotKind.Incremental, 1), Run(3, SnapshotKind.Incremental, 2, usable: false) };

        Assert.Equal("002", Choose(runs).Base);
        Assert.Equal("001", Choose([Run(1), Run(2, SnapshotKind.Incremental, 1, usable: false), Run(3, SnapshotKind.Incremental, 2)]).Base);
        Assert.Equal(SnapshotKind.Full, Choose([Run(1, usable: false)]).Kind);
    }

    [Fact]
    public void A_run_logged_before_snapshots_counts_as_a_full_base()
    {
        var legacy = new SnapshotRun("1764232671.482113", Day0, true, Series, SnapshotKind.Full, null);

        Assert.Equal((SnapshotKind.Incremental, "1764232671.482113"), (Choose([legacy]).Kind, Choose([legacy]).Base));
    }

    [Fact]
    public void Full_every_starts_a_new_chain_once_the_last_full_is_that_old()
    {
        var runs = new[] { Run(0), Run(1, SnapshotKind.Incremental, 0) };
        var fullEvery = TimeSpan.FromDays(180);

        Assert.Equal(SnapshotKind.Incremental, Choose(runs, fullEvery: fullEvery, today: 179).Kind);
        var choice = Choose(runs, fullEvery: fullEvery, today: 180);
        Assert.Equal(SnapshotKind.Full, choice.Kind);
        Assert.Contains("180 days old", choice.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_mode_and_the_full_flag_force_a_full()
    {
        var runs = new[] { Run(1) };

        Assert.Equal(SnapshotKind.Full, Choose(runs, BackupMode.Full).Kind);
        Assert.Equal(SnapshotKind.Full, Choose(runs, force: true).Kind);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData(0, 30)]
    [InlineData(30, 30)]
    [InlineData(90, 90)]
    [InlineData(180, 180)]
    public void Default_full_every_is_the_minimum_storage_duration_and_at_least_a_month(int? minimumDays, int expectedDays)
    {
        Assert.Equal(TimeSpan.FromDays(expectedDays), FullEveryDefaults.For(minimumDays));
    }
}
