using AutoGlacier.Gathering;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Gathering;

public class GlobPatternTests
{
    [Fact]
    public void Star_question_and_brackets_match_within_one_directory_like_python_glob()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "a.sh", "b.sh", "c.txt", "ab.sh", ".hidden.sh", "sub/d.sh" }) { dir.Write(name, "x"); }
        Assert.Equal(Names(dir, "a.sh", "ab.sh", "b.sh"), GlobPattern.Expand(dir.Combine("*.sh")));
        Assert.Equal(Names(dir, "a.sh", "b.sh"), GlobPattern.Expand(dir.Combine("?.sh")));
        Assert.Equal(Names(dir, "a.sh"), GlobPattern.Expand(dir.Combine("[a].sh")));
        Assert.Equal(Names(dir, "b.sh"), GlobPattern.Expand(dir.Combine("[!a].sh")));
        Assert.Equal(Names(dir, ".hidden.sh"), GlobPattern.Expand(dir.Combine(".*.sh")));
    }

    [Fact]
    public void Double_star_recurses_into_subdirectories()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "a.sh", "x/b.sh", "x/y/c.sh", "x/y/c.txt" }) { dir.Write(name, "x"); }
        Assert.Equal(Names(dir, "a.sh", "x/b.sh", "x/y/c.sh"), GlobPattern.Expand(dir.Combine("**", "*.sh")));
    }

    [Fact]
    public void A_pattern_without_matches_gives_an_empty_list()
    {
        using var dir = new TempDir();
        Assert.Empty(GlobPattern.Expand(dir.Combine("nothing-*.sh")));
        Assert.Empty(GlobPattern.Expand(dir.Combine("missing-dir", "*.sh")));
    }

    [Theory]
    [InlineData("/home/u/docs/**", "home/u/docs/a/b.txt", true)]
    [InlineData("/home/u/docs", "home/u/docs/a/b.txt", true)]
    [InlineData("/home/u/*.txt", "home/u/a.txt", true)]
    [InlineData("/home/u/*.txt", "home/u/sub/a.txt", false)]
    [InlineData("**/*.jpg", "home/u/p/x.jpg", true)]
    [InlineData("/home/v/**", "home/u/a", false)]
    public void Include_patterns_match_whole_paths(string pattern, string entryName, bool expected) =>
        Assert.Equal(expected, GlobPathMatcher.Matches(pattern, entryName));

    private static string[] Names(TempDir dir, params string[] relative) =>
        relative.Select(r => dir.Combine(r.Split('/'))).Order(StringComparer.Ordinal).ToArray();
}
