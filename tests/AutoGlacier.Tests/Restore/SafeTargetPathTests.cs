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
}
