using System.Text;
using System.Text.RegularExpressions;

namespace AutoGlacier.Gathering;

/// <summary>
/// Expands glob patterns with the Python seed's semantics (<c>glob.glob</c>): <c>*</c>, <c>?</c> and <c>[...]</c>
/// (with <c>[!...]</c> negation) match within one path segment, never across '/', and never match a leading '.'
/// (hidden files need an explicit '.'); plus <c>**</c> as a whole segment, which matches zero or more directories
/// (recursive, not following symlinked directories). Results are absolute paths, sorted ordinally.
/// </summary>
internal static class GlobPattern
{
    /// <summary>True when <paramref name="pattern"/> contains glob metacharacters.</summary>
    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Returns every existing path that matches <paramref name="pattern"/>.</summary>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var full = Path.GetFullPath(ExpandHome(pattern));
        var root = Path.GetPathRoot(full) ?? "/";
        var segments = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var results = new SortedSet<string>(StringComparer.Ordinal);
        Walk(root, segments, 0, results);
        return [.. results];
    }

    /// <summary>Expands a leading "~/" to the user's home directory.</summary>
    public static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    /// <summary>Matches one path segment (a file name) against one pattern segment.</summary>
    public static bool MatchesSegment(string name, string segmentPattern) => SegmentRegex(segmentPattern).IsMatch(name);

    private static void Walk(string directory, string[] segments, int index, SortedSet<string> results)
    {
        if (index == segments.Length)
        {
            if (Exists(directory)) { results.Add(directory); }
            return;
        }
        var segment = segments[index];
        if (segment == "**" && index == segments.Length - 1)
        {
            AddEverythingBelow(directory, results); // a final ** means the directory and all below it, files included
            return;
        }
        if (segment == "**")
        {
            Walk(directory, segments, index + 1, results);
            foreach (var child in ChildDirectories(directory))
            {
                Walk(child, segments, index, results);
            }
            return;
        }
        if (!HasWildcards(segment))
        {
            var next = Path.Combine(directory, segment);
            if (index == segments.Length - 1 || Directory.Exists(next)) { Walk(next, segments, index + 1, results); }
            return;
        }
        var regex = SegmentRegex(segment);
        foreach (var entry in SafeEnumerate(directory))
        {
            if (regex.IsMatch(Path.GetFileName(entry))) { Walk(entry, segments, index + 1, results); }
        }
    }

    private static void AddEverythingBelow(string directory, SortedSet<string> results)
    {
        if (UnixFileInfo.Get(directory).Kind != FileKind.Directory) { return; }
        results.Add(directory);
        foreach (var entry in SafeEnumerate(directory).Where(p => !Path.GetFileName(p).StartsWith('.')))
        {
            if (UnixFileInfo.Get(entry).Kind == FileKind.Directory) { AddEverythingBelow(entry, results); }
            else { results.Add(entry); }
        }
    }

    /// <summary>True when the pattern's last segment is <c>**</c> (it then matches everything below itself).</summary>
    public static bool EndsWithRecursiveWildcard(string pattern) =>
        pattern.TrimEnd('/').EndsWith("/**", StringComparison.Ordinal) || pattern == "**";

    private static bool Exists(string path) => UnixFileInfo.Get(path).Kind != FileKind.Missing;

    /// <summary>Non-hidden real directories (symlinks to directories are not followed, like Python's glob).</summary>
    private static IEnumerable<string> ChildDirectories(string directory) =>
        SafeEnumerate(directory).Where(p => !Path.GetFileName(p).StartsWith('.')
            && UnixFileInfo.Get(p).Kind == FileKind.Directory);

    private static List<string> SafeEnumerate(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).ToList() : [];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return []; // An unreadable directory simply matches nothing; the "no match" warning tells the user.
        }
    }

    private static Regex SegmentRegex(string segment)
    {
        var regex = new StringBuilder("^");
        if (!segment.StartsWith('.')) { regex.Append(@"(?!\.)"); }
        for (var i = 0; i < segment.Length; i++)
        {
            i = AppendToken(segment, i, regex);
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>Appends the regex for the token at <paramref name="i"/>; returns the index of its last character.</summary>
    private static int AppendToken(string segment, int i, StringBuilder regex)
    {
        switch (segment[i])
        {
            case '*': regex.Append(".*"); return i;
            case '?': regex.Append('.'); return i;
            case '[':
                var close = i + 2 <= segment.Length ? segment.IndexOf(']', i + 2) : -1;
                if (close < 0) { regex.Append(@"\["); return i; }
                var body = segment[(i + 1)..close];
                var negate = body.StartsWith('!');
                if (negate) { body = body[1..]; }
                if (body.StartsWith('^')) { body = @"\" + body; } // Python's fnmatch: only '!' negates; '^' is literal
                regex.Append('[').Append(negate ? "^" : "").Append(body.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                return close;
            default: regex.Append(Regex.Escape(segment[i].ToString())); return i;
        }
    }
}

/// <summary>Matches whole paths against glob patterns (used by restore's --include).</summary>
internal static class GlobPathMatcher
{
    /// <summary>
    /// True when <paramref name="path"/> ('/'-separated, absolute or archive-relative) matches
    /// <paramref name="pattern"/>; a leading '/' on either side is ignored, <c>**</c> spans directories, and a
    /// pattern that names a directory matches everything below it.
    /// </summary>
    public static bool Matches(string pattern, string path)
    {
        var patternSegments = pattern.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var pathSegments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Match(patternSegments, 0, pathSegments, 0);
    }

    private static bool Match(string[] pattern, int p, string[] path, int s)
    {
        if (p == pattern.Length) { return true; } // a directory pattern covers everything below it
        if (pattern[p] == "**")
        {
            for (var skip = s; skip <= path.Length; skip++)
            {
                if (Match(pattern, p + 1, path, skip)) { return true; }
            }
            return false;
        }
        return s < path.Length && GlobPattern.MatchesSegment(path[s], pattern[p]) && Match(pattern, p + 1, path, s + 1);
    }
}
