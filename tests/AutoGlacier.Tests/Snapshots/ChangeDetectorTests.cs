using AutoGlacier.Snapshots;
using static AutoGlacier.Tests.Snapshots.SnapshotTestData;

namespace AutoGlacier.Tests.Snapshots;

public class ChangeDetectorTests
{
    private static readonly EntryFacts Now = File("/home/u/a.txt");
    private static readonly CatalogEntry Base = Stored(Now, sha: Sha("a"));

    [Fact]
    public void An_identical_entry_is_unchanged_and_keeps_its_base_location()
    {
        var decision = new ChangeDetector(ChangeDetection.Metadata).Decide(Now, Base);

        var unchanged = Assert.IsType<EntryDecision.Unchanged>(decision);
        Assert.Equal(Base.Location, unchanged.Base.Location);
        Assert.Equal(Sha("a"), unchanged.Base.Sha256);
    }

    public static TheoryData<string, string> Changes => new()
    {
        { "size", nameof(ChangeReason.Size) },
        { "mtime", nameof(ChangeReason.Mtime) },
        { "ctime", nameof(ChangeReason.Ctime) },
        { "inode", nameof(ChangeReason.Inode) },
        { "device", nameof(ChangeReason.Device) },
        { "mode", nameof(ChangeReason.Mode) },
        { "uid", nameof(ChangeReason.Owner) },
        { "gid", nameof(ChangeReason.Owner) },
        { "type", nameof(ChangeReason.Type) },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Each_metadata_field_that_differs_stores_the_file(string field, string reason)
    {
        var expected = Enum.Parse<ChangeReason>(reason);
        var now = field switch
        {
            "size" => Now with { Size = Now.Size + 1 },
            "mtime" => Now with { MtimeNs = Now.MtimeNs + 1 },
            "ctime" => Now with { CtimeNs = Now.CtimeNs + 1 },
            "inode" => Now with { Inode = 43 },
            "device" => Now with { Device = 2050 },
            "mode" => Now with { Mode = 384 },
            "uid" => Now with { Uid = 0 },
            "gid" => Now with { Gid = 0 },
            "type" => Now with { Type = EntryType.Symlink, LinkTarget = "elsewhere" },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.Equal(expected, ChangeDetector.Difference(now, Base));
        Assert.Equal(new EntryDecision.Store(expected), new ChangeDetector(ChangeDetection.Metadata).Decide(now, Base));
    }

    [Fact]
    public void A_new_path_or_a_removed_base_entry_is_new()
    {
        Assert.Equal(ChangeReason.New, ChangeDetector.Difference(Now, null));
        Assert.Equal(ChangeReason.New, ChangeDetector.Difference(Now, CatalogEntry.RemovalOf(Now.Path)));
    }

    [Fact]
    public void A_symlink_pointing_elsewhere_is_stored()
    {
        var link = new EntryFacts("/l", EntryType.Symlink, 0, 5, Mode: 511, LinkTarget: "a");
        var previous = Stored(link);

        Assert.Equal(ChangeReason.None, ChangeDetector.Difference(link, previous));
        Assert.Equal(ChangeReason.LinkTarget, ChangeDetector.Difference(link with { LinkTarget = "b" }, previous));
    }

    [Fact]
    public void A_directory_replaced_by_a_file_is_a_type_change()
    {
        var directory = new EntryFacts("/d", EntryType.Directory, 0, 5, Mode: 493);

        Assert.Equal(ChangeReason.Type, ChangeDetector.Difference(File("/d", mtime: 5), Stored(directory)));
    }

    [Fact]
    public void Fields_the_base_did_not_record_are_not_changes()
    {
        var legacy = Base with { CtimeNs = null, Inode = null, Device = null, Uid = null, Gid = null };

        Assert.Equal(ChangeReason.None, ChangeDetector.Difference(Now, legacy));
    }

    [Fact]
    public void A_base_mtime_in_ticks_matches_the_same_time_in_nanoseconds_but_not_a_later_one()
    {
        var ticks = Base with { MtimeNs = Now.MtimeNs / 100 * 100 };

        Assert.Equal(ChangeReason.None, ChangeDetector.Difference(Now, ticks));
        Assert.Equal(ChangeReason.Mtime, ChangeDetector.Difference(Now with { MtimeNs = Now.MtimeNs + 100 }, ticks));
    }

    [Fact]
    public void A_base_entry_without_a_location_cannot_be_referenced()
    {
        Assert.Equal(ChangeReason.NoLocation, ChangeDetector.Difference(Now, Base with { Run = null }));
        Assert.Equal(ChangeReason.NoLocation, ChangeDetector.Difference(Now, Base with { Sha256 = null }));
    }

    [Fact]
    public void Metadata_mode_misses_an_edit_that_keeps_the_metadata_and_content_mode_catches_it()
    {
        Assert.IsType<EntryDecision.Unchanged>(new ChangeDetector(ChangeDetection.Metadata).Decide(Now, Base));

        var decision = new ChangeDetector(ChangeDetection.Content).Decide(Now, Base, Sha("edited"));

        Assert.Equal(new EntryDecision.Store(ChangeReason.Content), decision);
    }

    [Fact]
    public void Content_mode_references_the_same_content_after_a_metadata_only_change()
    {
        var chmod = Now with { Mode = 384, CtimeNs = Now.CtimeNs + 7 };

        var decision = new ChangeDetector(ChangeDetection.Content).Decide(chmod, Base, Sha("a"));

        Assert.Equal(new EntryDecision.Reference(Base.Location!, ChangeReason.Ctime), decision);
    }

    [Fact]
    public void Content_mode_references_a_copy_or_rename_of_content_held_in_the_series()
    {
        var held = new ContentIndex();
        held.Add(Base);
        var copy = File("/home/u/copy.txt", inode: 99);

        var decision = new ChangeDetector(ChangeDetection.Content, held: held).Decide(copy, null, Sha("a").ToUpperInvariant());

        var reference = Assert.IsType<EntryDecision.Reference>(decision);
        Assert.Equal(Base.Location! with { Sha256 = Sha("a") }, reference.Bytes);
        Assert.Equal(new EntryDecision.Store(ChangeReason.New), new ChangeDetector(ChangeDetection.Content, held: held).Decide(copy, null, Sha("b")));
    }

    [Fact]
    public void Content_mode_asks_for_a_hash_of_files_only()
    {
        var detector = new ChangeDetector(ChangeDetection.Content);

        Assert.True(detector.NeedsHash(Now));
        Assert.False(detector.NeedsHash(new EntryFacts("/d", EntryType.Directory, 0, 1)));
        Assert.False(new ChangeDetector(ChangeDetection.Metadata).NeedsHash(Now));
        Assert.ThrowsAny<ArgumentException>(() => detector.Decide(Now, Base));
    }

    [Fact]
    public void Metadata_mode_recognises_a_move_by_device_inode_size_and_mtime_and_confirms_it_by_content()
    {
        var moves = new MoveCandidates();
        moves.Add(Base);
        var detector = new ChangeDetector(ChangeDetection.Metadata, moves);
        var moved = Now with { Path = "/home/u/renamed.txt", CtimeNs = Now.CtimeNs + 1 }; // rename updates ctime

        Assert.True(detector.NeedsHash(moved));
        Assert.Equal(new EntryDecision.Reference(Base.Location!, ChangeReason.New), detector.Decide(moved, null, Base.Sha256));
        // Edited in place keeping size and mtime, then renamed: the ctime cannot tell (the rename moved it), the content does.
        Assert.IsType<EntryDecision.Store>(detector.Decide(moved, null, new string('0', 64)));
        foreach (var other in new[] { moved with { MtimeNs = 1 }, moved with { Size = 11 }, moved with { Inode = 7 }, moved with { Device = 7 } })
        {
            Assert.False(detector.NeedsHash(other)); // not a move candidate: no file is read for it
            Assert.IsType<EntryDecision.Store>(detector.Decide(other, null));
        }
    }
}

public class EntryFactsOfTests
{
    [Fact]
    public void A_real_file_read_twice_is_unchanged_and_a_rewrite_is_not()
    {
        using var temp = new AutoGlacier.Tests.Log.TempDirectory();
        var path = temp.File("a.txt");
        System.IO.File.WriteAllText(path, "one");
        var mtime = new DateTime(2025, 5, 1, 12, 0, 0, DateTimeKind.Utc); // whole ticks: .NET sets mtime at 100 ns precision
        System.IO.File.SetLastWriteTimeUtc(path, mtime);
        var first = EntryFactsOf.Stat(path, AutoGlacier.Gathering.UnixFileInfo.Get(path))!;
        var previous = CatalogEntry.From(first, new ContentLocation("1", "a", 0, null, new string('0', 64)));

        Assert.Equal(ChangeReason.None, ChangeDetector.Difference(EntryFactsOf.Stat(path, AutoGlacier.Gathering.UnixFileInfo.Get(path))!, previous));

        System.IO.File.WriteAllText(path, "two");
        System.IO.File.SetLastWriteTimeUtc(path, mtime); // an edit that keeps size and mtime: ctime still moves
        var now = EntryFactsOf.Stat(path, AutoGlacier.Gathering.UnixFileInfo.Get(path))!;

        Assert.Equal(EntryType.File, now.Type);
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(now.Inode);
            Assert.Equal(ChangeReason.Ctime, ChangeDetector.Difference(now, previous));
        }
    }

    [Fact]
    public void Missing_and_special_entries_have_no_facts()
    {
        Assert.Null(EntryFactsOf.Stat("/nowhere", AutoGlacier.Gathering.UnixFileInfo.Get("/nonexistent-" + Guid.NewGuid())));
        if (OperatingSystem.IsLinux()) { Assert.Null(EntryFactsOf.Stat("/dev/null", AutoGlacier.Gathering.UnixFileInfo.Get("/dev/null"))); }
    }
}
