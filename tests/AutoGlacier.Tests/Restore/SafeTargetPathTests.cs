using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Restore;

public class SafeTargetPathTests
{
    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/etc/x")]
    [InlineData("a/./b")]
    [InlineData("")]
    public void Entries_that_would_escape_are_refused(string name)
    {
        using var dir = new TempDir();
        Assert.Throws<UnsafeEntryException>(() => new SafeTargetPath(dir.Path).Resolve(name));
    }

    [Fact]
    public void A_path_through_a_symlink_is_refused()
    {
        using var dir = new TempDir();
        using var outside = new TempDir();
        File.CreateSymbolicLink(dir.Combine("link"), outside.Path);
        var error = Assert.Throws<UnsafeEntryException>(() => new SafeTargetPath(dir.Path).Resolve("link/evil.txt"));
        Assert.Contains("through the symlink", error.Message);
    }

    [Fact]
    public void Ordinary_names_land_under_the_root()
    {
        using var dir = new TempDir();
        var paths = new SafeTargetPath(dir.Path);
        Assert.Equal(dir.Combine("home", "u", "a b ü.txt"), paths.Resolve("home/u/a b ü.txt"));
        Assert.True(paths.LinkStaysInside(dir.Combine("home", "l"), "u/x"));
        Assert.False(paths.LinkStaysInside(dir.Combine("home", "l"), "../../x"));
        Assert.False(paths.LinkStaysInside(dir.Combine("home", "l"), "/etc/passwd"));
    }

    [Fact]
    public void A_link_is_judged_by_where_it_really_points_not_by_its_text()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("a", "b", "c"));
        File.CreateSymbolicLink(dir.Combine("a", "b", "c", "x"), "../../.."); // x is the root itself: allowed
        var paths = new SafeTargetPath(dir.Path);
        Assert.True(paths.LinkStaysInside(dir.Combine("a", "b", "c", "x2"), "../../.."));
        // Lexically "a/b/c/x/.." is a/b/c, inside; really it is the root's parent.
        Assert.False(paths.LinkStaysInside(dir.Combine("y"), "a/b/c/x/.."));
    }
}
