using AutoGlacier.Restore;
using AutoGlacier.Snapshots;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// Pairing tar entries with a snapshot plan's entries: in path order (snapshot archives), in another order (older
/// archives), moved and copied files whose bytes are under another tar name, and planned entries an archive lacks.
/// </summary>
public sealed class PlannedEntryMatcherTests
{
    private static PlannedEntry Own(string path, EntryType type = EntryType.File)
    {
        var entry = new CatalogEntry { Path = path, Type = type };
        return new PlannedEntry(entry, RestorePlanner.TarNameOf(entry));
    }

    private static PlannedEntry Elsewhere(string path, string tarName) => new(new CatalogEntry { Path = path, Type = EntryType.File }, tarName);

    private static List<string> Paths(IEnumerable<PlannedEntry> entries) => entries.Select(e => e.Entry.Path).ToList();

    [Fact]
    public void Path_order_matches_each_wanted_entry_skips_the_others_and_completes_after_the_last()
    {
        PlannedEntry[] plan = [Own("/d", EntryType.Directory), Own("/d.txt"), Own("/d/b")];
        using var matcher = new PlannedEntryMatcher(() => plan);

        // A directory's tar name ends with '/': "d/" sorts after "d.txt" but its path "/d" before "/d.txt".
        Assert.Equal(["/d"], Paths(matcher.Match("d/")));
        Assert.Empty(matcher.Match("d.sh"));
        Assert.Equal(["/d.txt"], Paths(matcher.Match("d.txt")));
        Assert.False(matcher.Complete);
        Assert.Equal(["/d/b"], Paths(matcher.Match("d/b")));
        Assert.True(matcher.Complete);
        Assert.Empty(matcher.Unmatched());
    }

    [Fact]
    public void Another_order_still_matches_and_what_never_came_is_unmatched()
    {
        PlannedEntry[] plan = [Own("/a"), Own("/b"), Own("/c"), Own("/e")];
        using var matcher = new PlannedEntryMatcher(() => plan);

        Assert.Equal(["/c"], Paths(matcher.Match("c")));
        Assert.Equal(["/a"], Paths(matcher.Match("a")));
        Assert.Empty(matcher.Match("d"));

        Assert.Equal(["/b", "/e"], Paths(matcher.Unmatched()));
    }

    [Fact]
    public void A_moved_file_and_two_copies_are_matched_to_the_tar_entry_holding_their_bytes()
    {
        // /z/moved's bytes are under "a/original" (it was stored there first); /m/copy shares /b's bytes.
        PlannedEntry[] plan = [Own("/b"), Elsewhere("/m/copy", "b"), Own("/c"), Elsewhere("/z/moved", "a/original")];
        using var matcher = new PlannedEntryMatcher(() => plan);

        Assert.Equal(["/z/moved"], Paths(matcher.Match("a/original")));
        Assert.Equal(["/m/copy", "/b"], Paths(matcher.Match("b")));
        Assert.Equal(["/c"], Paths(matcher.Match("c")));
        Assert.True(matcher.Complete);
    }
}
