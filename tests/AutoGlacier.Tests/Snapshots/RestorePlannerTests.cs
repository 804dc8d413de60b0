using AutoGlacier.Snapshots;
using static AutoGlacier.Tests.Snapshots.SnapshotTestData;

namespace AutoGlacier.Tests.Snapshots;

public class RestorePlannerTests
{
    private static readonly CatalogEntry[] Listing =
    [
        Stored(new EntryFacts("/home/u/docs", EntryType.Directory, 0, 1, Mode: 493), "1", 0),
        Stored(File("/home/u/docs/a.txt", size: 100), "1", 1024),
        Stored(File("/home/u/docs/b.txt", size: 200), "3", 0),
        Stored(File("/home/u/music/c.mp3", size: 5000), "2", 512),
        Stored(File("/home/u/music/d.mp3", size: 7000), "1", 4096),
    ];

    [Fact]
    public void The_plan_names_only_archives_holding_a_wanted_entry_with_counts_and_bytes()
    {
        var plan = RestorePlanner.Plan(() => Listing, []);

        Assert.Equal(
            [new ArchiveNeed("1", "archive-1", 3, 2, 7100), new ArchiveNeed("2", "archive-2", 1, 1, 5000), new ArchiveNeed("3", "archive-3", 1, 1, 200)],
            plan.Archives);
        Assert.Equal((5L, 12300L), (plan.Entries, plan.Bytes));
    }

    [Fact]
    public void Include_globs_narrow_the_plan_and_the_entries()
    {
        var plan = RestorePlanner.Plan(() => Listing, ["/home/u/docs"]);

        Assert.Equal(["1", "3"], plan.Archives.Select(a => a.Run));
        var fromFirst = plan.EntriesIn(plan.Archives[0]).ToList();
        Assert.Equal(["home/u/docs/", "home/u/docs/a.txt"], fromFirst.Select(e => e.TarName));
        Assert.Equal([0L, 1024L], fromFirst.Select(e => e.Offset!.Value));
        Assert.Equal(["2"], RestorePlanner.Plan(() => Listing, ["**/*.mp3", "/nothing/*"]).Archives.Skip(1).Select(a => a.Run));
    }

    [Fact]
    public void Moved_and_copied_entries_are_collected_per_archive_while_planning_and_the_rest_stream_in_path_order()
    {
        CatalogEntry[] listing =
        [
            .. Listing,
            Stored(File("/home/u/new/a-moved.txt", size: 100), "1", 1024) with { Source = "home/u/docs/a.txt" },
            Stored(File("/home/u/zz/c-copy.mp3", size: 5000), "2", 512) with { Source = "home/u/music/c.mp3" },
            Stored(File("/home/u/docs/b-own.txt", size: 200), "3", 0) with { Source = "home/u/docs/b-own.txt" }, // its own name
        ];
        var opened = 0;
        var plan = RestorePlanner.Plan(() => { opened++; return listing; }, []);

        Assert.Equal(1, opened);
        Assert.Equal(["home/u/docs/a.txt"], plan.StoredElsewhereIn(plan.Archives[0]).Select(e => e.TarName));
        Assert.Equal(["/home/u/new/a-moved.txt"], plan.StoredElsewhereIn(plan.Archives[0]).Select(e => e.Entry.Path));
        Assert.Equal(["home/u/music/c.mp3"], plan.StoredElsewhereIn(plan.Archives[1]).Select(e => e.TarName));
        Assert.Empty(plan.StoredElsewhereIn(plan.Archives[2]));
        Assert.Equal(1, opened); // the moved and copied entries cost no pass of their own
        Assert.Equal(["home/u/docs/", "home/u/docs/a.txt", "home/u/music/d.mp3"], plan.StoredUnderOwnNameIn(plan.Archives[0]).Select(e => e.TarName));
        Assert.Equal(["home/u/docs/b.txt", "home/u/docs/b-own.txt"], plan.StoredUnderOwnNameIn(plan.Archives[2]).Select(e => e.TarName));
        Assert.Equal(3, opened); // one more pass per archive read, no second one
    }

    [Fact]
    public void An_entry_without_an_archive_is_a_damaged_catalog()
    {
        Assert.Throws<CatalogException>(() => RestorePlanner.Plan(() => [Listing[1] with { Run = null }], []));
    }
}
