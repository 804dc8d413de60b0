using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AutoGlacier.Gathering;

namespace AutoGlacier.Tests.Support;

/// <summary>
/// A tree as a restore must reproduce it, by path relative to its root ("" is the root), read with lstat (symlinks
/// are never followed): kind, permission bits, mtime at the 100 ns a restore sets, and the content's size and SHA-256
/// or the link target. Two captures compare with <see cref="Differences"/>.
/// </summary>
internal static class TreeSnapshot
{
    /// <summary>One path of a captured tree.</summary>
    public sealed record Node(FileKind Kind, string Mode, long MtimeTicks, string? Content)
    {
        public override string ToString() => $"{Kind} {Mode} mtime {MtimeTicks} {Content}";
    }

    /// <summary>Relative paths of the tree under <paramref name="root"/>, the root ("") first, in ordinal order.</summary>
    public static IEnumerable<string> RelativePaths(string root)
    {
        var pending = new Stack<string>([""]);
        var all = new List<string>();
        while (pending.TryPop(out var relative))
        {
            all.Add(relative);
            var full = Full(root, relative);
            if (UnixFileInfo.Get(full).Kind != FileKind.Directory) { continue; }
            foreach (var child in Directory.EnumerateFileSystemEntries(full)) { pending.Push(Path.GetRelativePath(root, child)); }
        }
        return all.Order(StringComparer.Ordinal);
    }

    public static SortedDictionary<string, Node> Capture(string root)
    {
        var tree = new SortedDictionary<string, Node>(StringComparer.Ordinal);
        foreach (var relative in RelativePaths(root))
        {
            var full = Full(root, relative);
            var info = UnixFileInfo.Get(full);
            tree[relative] = info.Kind switch
            {
                FileKind.SymbolicLink => new Node(info.Kind, "-", 0, "-> " + new FileInfo(full).LinkTarget),
                FileKind.RegularFile => new Node(info.Kind, Convert.ToString(info.Mode & 0xFFF, 8), info.ModifiedUnixNs / 100,
                    $"{info.Size} B sha256 {TreeBuilder.Sha256Hex(full)}"),
                _ => new Node(info.Kind, Convert.ToString(info.Mode & 0xFFF, 8), info.ModifiedUnixNs / 100, null),
            };
        }
        return tree;
    }

    /// <summary>One line per path that is absent from one side or differs; empty when the trees are the same.</summary>
    public static string Differences(SortedDictionary<string, Node> expected, SortedDictionary<string, Node> actual)
    {
        var text = new StringBuilder();
        foreach (var path in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var (want, got) = (expected.GetValueOrDefault(path), actual.GetValueOrDefault(path));
            if (want != got) { text.AppendLine(CultureInfo.InvariantCulture, $"  /{path}: expected {want?.ToString() ?? "absent"}, restored {got?.ToString() ?? "absent"}"); }
        }
        return text.ToString();
    }

    private static string Full(string root, string relative) => relative.Length == 0 ? root : Path.Combine(root, relative);
}
