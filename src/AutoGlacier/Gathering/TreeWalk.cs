using System.IO.Enumeration;

namespace AutoGlacier.Gathering;

/// <summary>
/// Visits the entries below a set of roots in increasing ordinal order of their full paths — the order of the tar
/// and of every catalog — without ever holding more than the directory listings on the current path. Ordinal order
/// of full paths is not "a directory, then its contents": <c>a/b</c> &lt; <c>a/b.txt</c> &lt; <c>a/b/x</c>, because
/// '.' sorts before '/'. So each directory's children are sorted by their name for the entry itself and by their
/// name followed by '/' for a subdirectory's contents, which is the same order their full paths have.
/// </summary>
internal static class TreeWalk
{
    /// <summary>
    /// The roots' walks merged into one ordinal sequence, each path once. Roots come sorted; each walk starts with its
    /// root, the smallest path in it, so a walk is opened only when the merge reaches its root.
    /// </summary>
    public static IEnumerable<GatheredEntry> Merge(IReadOnlyList<GatherRoot> sortedRoots, Action<string, string> skip, CancellationToken cancellationToken)
    {
        var open = new PriorityQueue<IEnumerator<GatheredEntry>, string>(StringComparer.Ordinal);
        var next = 0;
        string? last = null;
        try
        {
            while (true)
            {
                while (next < sortedRoots.Count && (open.Count == 0 || IsBefore(sortedRoots[next].Path, open)))
                {
                    Enqueue(open, Root(sortedRoots[next++], skip, cancellationToken).GetEnumerator());
                }
                if (!open.TryDequeue(out var walk, out var path)) { yield break; }
                if (!string.Equals(path, last, StringComparison.Ordinal))
                {
                    last = path;
                    yield return walk.Current;
                }
                Enqueue(open, walk);
            }
        }
        finally
        {
            while (open.TryDequeue(out var walk, out _)) { walk.Dispose(); }
        }
    }

    private static bool IsBefore(string rootPath, PriorityQueue<IEnumerator<GatheredEntry>, string> open) =>
        open.TryPeek(out _, out var head) && string.CompareOrdinal(rootPath, head) <= 0;

    /// <summary>Queues a walk at its next entry, or disposes of it when it has none.</summary>
    private static void Enqueue(PriorityQueue<IEnumerator<GatheredEntry>, string> open, IEnumerator<GatheredEntry> walk)
    {
        if (walk.MoveNext()) { open.Enqueue(walk, walk.Current.FullPath); }
        else { walk.Dispose(); }
    }

    /// <summary>One root: itself, then (when descended) everything below it in ordinal order.</summary>
    private static IEnumerable<GatheredEntry> Root(GatherRoot root, Action<string, string> skip, CancellationToken cancellationToken)
    {
        yield return new GatheredEntry(root.Path, root.Info);
        if (!root.Descend) { yield break; }
        var stack = new Stack<DirectoryListing>();
        if (DirectoryListing.Read(root.Path, skip) is { } top) { stack.Push(top); }
        while (stack.TryPeek(out var listing))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!listing.TryNext(out var item))
            {
                stack.Pop();
            }
            else if (item.IsContents)
            {
                if (DirectoryListing.Read(item.Path, skip) is { } below) { stack.Push(below); }
            }
            else if (Inspect(item.Path, skip) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>The entry for a path found in a listing, or null (told to <paramref name="skip"/>) when it cannot be stored.</summary>
    private static GatheredEntry? Inspect(string path, Action<string, string> skip)
    {
        UnixFileInfo info;
        try
        {
            info = UnixFileInfo.Get(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            skip(path, "cannot be inspected: " + ex.Message);
            return null;
        }
        switch (info.Kind)
        {
            case FileKind.Missing:
                skip(path, "does not exist");
                return null;
            case FileKind.Special:
                skip(path, Gatherer.SpecialFileReason);
                return null;
            default:
                return new GatheredEntry(path, info);
        }
    }

    /// <summary>
    /// One directory's children, sorted as their full paths sort: each child by name, and each subdirectory's contents
    /// by name + '/'. Kinds come from the listing itself (d_type), so listing costs no lstat per child; a child that
    /// changes kind between the listing and its lstat is stored as the lstat says, without its contents.
    /// </summary>
    private sealed class DirectoryListing
    {
        private static readonly EnumerationOptions Everything = new()
        {
            AttributesToSkip = 0, // dot files are "hidden" to .NET; a backup keeps them
            IgnoreInaccessible = false,
            RecurseSubdirectories = false,
            ReturnSpecialDirectories = false,
        };

        private readonly List<Item> _items;
        private int _next;

        private DirectoryListing(List<Item> items) => _items = items;

        /// <summary>A child to visit: its entry, or (<see cref="IsContents"/>) the contents of the subdirectory at <see cref="Path"/>.</summary>
        public readonly record struct Item(string SortKey, string Path, bool IsContents);

        public static DirectoryListing? Read(string directory, Action<string, string> skip)
        {
            var items = new List<Item>();
            try
            {
                var children = new FileSystemEnumerable<(string Name, bool IsDirectory)>(directory,
                    (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) == 0), Everything);
                foreach (var (name, isDirectory) in children)
                {
                    var path = System.IO.Path.Join(directory, name);
                    items.Add(new Item(name, path, IsContents: false));
                    if (isDirectory) { items.Add(new Item(name + "/", path, IsContents: true)); }
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                skip(directory, "cannot list its contents: " + ex.Message);
                return null;
            }
            items.Sort((a, b) => string.CompareOrdinal(a.SortKey, b.SortKey));
            return new DirectoryListing(items);
        }

        public bool TryNext(out Item item)
        {
            if (_next == _items.Count)
            {
                item = default;
                return false;
            }
            item = _items[_next++];
            return true;
        }
    }
}
