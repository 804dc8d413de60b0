using AutoGlacier.Snapshots;
using CsCheck;
using static AutoGlacier.Tests.Snapshots.SnapshotTestData;

namespace AutoGlacier.Tests.Snapshots;

public class SnapshotChainTests
{
    [Fact]
    public void The_newest_catalog_decides_a_path_and_a_removal_mark_drops_it()
    {
        var full = Catalog(Header("1"), [Stored(File("/a"), "1"), Stored(File("/b"), "1"), Stored(File("/c"), "1")]);
        var second = Catalog(Header("2", SnapshotKind.Incremental, "1"), [Stored(File("/b", size: 5), "2"), CatalogEntry.RemovalOf("/c"), Stored(File("/d"), "2")]);
        var third = Catalog(Header("3", SnapshotKind.Incremental, "2"), [CatalogEntry.RemovalOf("/a"), Stored(File("/c"), "3")]);

        var listing = CatalogChain.Resolve([Stream(full), Stream(second), Stream(third)]).Select(e => (e.Path, e.Run)).ToList();

        Assert.Equal([("/b", "2"), ("/c", "3"), ("/d", "2")], listing);
    }

    [Fact]
    public void The_base_cursor_reports_every_base_path_the_run_passes_over_as_removed()
    {
        var removed = new List<string>();
        using var cursor = new BaseCursor([Stored(File("/a")), Stored(File("/b")), Stored(File("/c")), Stored(File("/e"))], e => removed.Add(e.Path));

        Assert.Null(cursor.Seek("/0"));
        Assert.Equal("/b", cursor.Seek("/b")?.Path);
        Assert.Null(cursor.Seek("/d"));
        cursor.Finish();

        Assert.Equal(["/a", "/c", "/e"], removed);
        Assert.Throws<InvalidOperationException>(() => cursor.Seek("/a"));
    }

    [Fact]
    public void Random_tree_mutations_and_runs_restore_every_snapshot_exactly_from_its_chain()
    {
        Gen.Select(Gen.Int, Gen.Int[2, 7], Gen.Int[0, 2]).Sample((seed, runs, modeIndex) =>
        {
            var mode = (BackupMode)modeIndex;
            var model = new TreeModel(new Random(seed));
            var history = new SnapshotHistory(mode);
            for (var run = 0; run < runs; run++)
            {
                model.Mutate();
                history.Back(model.Snapshot());
            }
            for (var i = 0; i < history.Count; i++) { history.AssertRestores(i); }
        }, iter: 60);
    }

    [Fact]
    public void An_unchanged_tree_makes_an_incremental_catalog_with_no_entries()
    {
        var model = new TreeModel(new Random(7));
        model.Mutate();
        var history = new SnapshotHistory(BackupMode.Incremental);
        history.Back(model.Snapshot());

        var second = history.Back(model.Snapshot());

        Assert.Equal((0, 0, 0, model.Snapshot().Count), (second.Stored, second.Referenced, second.Removed, second.Unchanged));
        Assert.Empty(Read(history.CatalogOf(1)));
    }

    [Fact]
    public void A_moved_file_is_referenced_in_metadata_mode_and_a_copy_in_content_mode()
    {
        var a = File("/t/a", inode: 1);
        var tree = new SortedDictionary<string, (EntryFacts, string)>(StringComparer.Ordinal) { ["/t/a"] = (a, Sha("A")) };
        var metadata = new SnapshotHistory(BackupMode.Incremental);
        var content = new SnapshotHistory(BackupMode.Incremental, ChangeDetection.Content);
        metadata.Back(tree);
        content.Back(tree);

        var moved = new SortedDictionary<string, (EntryFacts, string)>(StringComparer.Ordinal) { ["/t/0"] = (a with { Path = "/t/0" }, Sha("A")) };
        var copied = new SortedDictionary<string, (EntryFacts, string)>(StringComparer.Ordinal)
        {
            ["/t/a"] = (a, Sha("A")), ["/t/b"] = (File("/t/b", inode: 2), Sha("A")),
        };

        Assert.Equal((0, 1, 1), Counts(metadata.Back(moved)));
        Assert.Equal((0, 1, 0), Counts(content.Back(copied)));
        metadata.AssertRestores(1);
        content.AssertRestores(1);
    }

    private static (long Stored, long Referenced, long Removed) Counts(SnapshotRecorder r) => (r.Stored, r.Referenced, r.Removed);

    /// <summary>A tree of entries (facts + content hash) that changes the ways real trees do.</summary>
    private sealed class TreeModel(Random random)
    {
        private readonly SortedDictionary<string, (EntryFacts Facts, string Sha)> _tree = new(StringComparer.Ordinal);
        private ulong _nextInode = 1;
        private long _clock = 1_700_000_000_000_000_000;

        public SortedDictionary<string, (EntryFacts, string)> Snapshot() => new(_tree, StringComparer.Ordinal);

        public void Mutate()
        {
            var changes = random.Next(0, 6);
            for (var i = 0; i < changes || _tree.Count == 0; i++) { MutateOne(); }
        }

        private void MutateOne()
        {
            _clock += 1_000_000;
            var paths = _tree.Keys.ToList();
            var existing = paths.Count > 0 ? paths[random.Next(paths.Count)] : null;
            switch (existing is null ? 0 : random.Next(7))
            {
                case 0: Put(NewPath(), File("", size: random.Next(100), mtime: _clock, inode: _nextInode++), Sha(Guid.NewGuid().ToString())); break;
                case 1: Put(existing!, _tree[existing!].Facts with { Size = random.Next(100), MtimeNs = _clock, CtimeNs = _clock }, Sha(Guid.NewGuid().ToString())); break;
                case 2: _tree.Remove(existing!); break;
                case 3: var (facts, sha) = _tree[existing!]; _tree.Remove(existing!); Put(NewPath(), facts, sha); break; // rename: same inode
                case 4: Put(NewPath(), _tree[existing!].Facts with { Inode = _nextInode++, CtimeNs = _clock }, _tree[existing!].Sha); break; // copy keeping mtime
                case 5: Put(existing!, _tree[existing!].Facts with { Mode = 384, CtimeNs = _clock }, _tree[existing!].Sha); break; // chmod
                default: Put(existing!, new EntryFacts("", EntryType.Symlink, 0, _clock, _clock, _nextInode++, 2049, 511, 1000, 1000, "target" + random.Next(3)), ""); break;
            }
        }

        private string NewPath() => $"/t/{(char)('a' + random.Next(6))}{random.Next(30)}";

        private void Put(string path, EntryFacts facts, string sha) => _tree[path] = (facts with { Path = path }, sha);
    }

    /// <summary>Runs the recorder as the pipeline does (base choice, merge-join, catalogs) and checks each snapshot's chain.</summary>
    private sealed class SnapshotHistory(BackupMode mode, ChangeDetection detection = ChangeDetection.Metadata)
    {
        private readonly List<(SnapshotRun Run, byte[] Catalog, SortedDictionary<string, (EntryFacts Facts, string Sha)> Tree)> _runs = [];
        private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch);

        public int Count => _runs.Count;

        public byte[] CatalogOf(int index) => _runs[index].Catalog;

        public SnapshotRecorder Back(SortedDictionary<string, (EntryFacts Facts, string Sha)> tree)
        {
            _clock.Now += TimeSpan.FromDays(1);
            var key = (_runs.Count + 1).ToString("D4");
            var choice = BaseSelector.Choose(_runs.Select(r => r.Run), Series, mode, null, forceFull: false, _clock);
            var output = new MemoryStream();
            var writer = new CatalogWriter(output, Header(key, choice.Kind, choice.Base), leaveOpen: true);
            var paths = tree.Keys;
            var moves = detection == ChangeDetection.Metadata && choice.Base is not null ? SnapshotRecorder.FindMoveCandidates(paths, Listing(choice.Chain)) : null;
            var held = detection == ChangeDetection.Content && choice.Base is not null ? SnapshotRecorder.IndexContent(Listing(choice.Chain)) : null;
            using var recorder = new SnapshotRecorder(writer, choice.Kind, choice.Base is null ? null : Listing(choice.Chain), new ChangeDetector(detection, moves, held), held);
            long offset = 0;
            foreach (var (facts, sha) in tree.Values)
            {
                var decision = recorder.Decide(facts, recorder.NeedsHash(facts) ? sha : null);
                if (decision is EntryDecision.Store)
                {
                    recorder.RecordStored(facts, new ContentLocation(key, "archive-" + key, offset, null, facts.Type == EntryType.File ? sha : null));
                    offset += 512;
                }
            }
            recorder.Complete();
            writer.Dispose();
            _runs.Add((new SnapshotRun(key, _clock.Now, true, Series, choice.Kind, choice.Base), output.ToArray(), tree));
            return recorder;
        }

        public void AssertRestores(int index)
        {
            var chain = ChainOf(_runs[index].Run.RunKey);
            var listing = CatalogChain.Resolve(chain.Select(k => Stream(_runs.Single(r => r.Run.RunKey == k).Catalog)).ToList()).ToList();
            var expected = _runs[index].Tree;
            Assert.Equal(expected.Keys, listing.Select(e => e.Path));
            foreach (var entry in listing)
            {
                var (facts, sha) = expected[entry.Path];
                Assert.Equal(CatalogEntry.From(facts, entry.Location!), entry);
                if (facts.Type == EntryType.File) { Assert.Equal(sha, entry.Sha256); }
                Assert.True(string.CompareOrdinal(entry.Run, _runs[index].Run.RunKey) <= 0, "an entry's bytes are in this run or an earlier one");
            }
        }

        private IEnumerable<CatalogEntry> Listing(IReadOnlyList<string> chain) =>
            CatalogChain.Resolve(chain.Select(k => Stream(_runs.Single(r => r.Run.RunKey == k).Catalog)).ToList());

        private List<string> ChainOf(string key)
        {
            var chain = new List<string> { key };
            while (_runs.Single(r => r.Run.RunKey == chain[^1]).Run.Base is { } older) { chain.Add(older); }
            chain.Reverse();
            return chain;
        }
    }
}
