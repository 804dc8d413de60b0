using System.Reflection;
using AutoGlacier.Gathering;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Gathering;

/// <summary>Windows paths as tar entry names, and the libc calls kept to Linux (both checked here, on Linux).</summary>
public class PortablePathTests
{
    [Theory]
    [InlineData(@"C:\Users\me\x.txt", "C/Users/me/x.txt")]
    [InlineData(@"c:\Users\me\x.txt", "C/Users/me/x.txt")]
    [InlineData("D:/data/report.pdf", "D/data/report.pdf")]
    [InlineData(@"C:\", "C")]
    [InlineData(@"\\server\share\x.txt", "UNC/server/share/x.txt")]
    [InlineData(@"\\server\share\dir\\x.txt", "UNC/server/share/dir/x.txt")]
    [InlineData("//server/share/x.txt", "UNC/server/share/x.txt")]
    [InlineData(@"\\?\C:\Users\me\x.txt", "C/Users/me/x.txt")]
    [InlineData(@"\\?\UNC\server\share\x.txt", "UNC/server/share/x.txt")]
    [InlineData(@"\\.\UNC\server\share\x.txt", "UNC/server/share/x.txt")]
    [InlineData(@"\Users\me\x.txt", "Users/me/x.txt")]
    public void Windows_paths_become_relative_slash_separated_entry_names(string path, string expected) =>
        Assert.Equal(expected, GatheredEntry.ToArchiveName(path, windowsPath: true));

    [Theory]
    [InlineData("/home/me/x.txt", "home/me/x.txt")]
    [InlineData("/C:/odd but legal/x", "C:/odd but legal/x")]
    public void Unix_paths_lose_only_their_root(string path, string expected) =>
        Assert.Equal(expected, GatheredEntry.ToArchiveName(path, windowsPath: false));

    [Theory]
    [InlineData(@"C:\Users\me\x.txt")]
    [InlineData(@"\\server\share\x.txt")]
    [InlineData(@"\\?\UNC\server\share\x.txt")]
    public void Windows_entry_names_restore_under_the_target(string path)
    {
        using var dir = new TempDir();
        var resolved = new SafeTargetPath(dir.Path).Resolve(GatheredEntry.ToArchiveName(path, windowsPath: true));

        Assert.StartsWith(dir.Path + "/", resolved);
    }

    [Fact]
    public void Only_the_Linux_guarded_types_declare_libc_calls()
    {
        var declaring = typeof(GatheredEntry).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
            .Where(method => method.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
            .Select(method => method.DeclaringType!.FullName)
            .ToHashSet();

        // A new P/Invoke fails this test until it is guarded with OperatingSystem.IsLinux() and listed here.
        Assert.Equal(["AutoGlacier.Gathering.NativeStat", "AutoGlacier.Gathering.SourceFile", "AutoGlacier.Restore.RestoredFile", "AutoGlacier.Vaults.Local.DirectorySync"], declaring.Order());
        Assert.Equal(OperatingSystem.IsLinux() && NativeStat.IsSupported, NativeStat.IsSupported);
    }

    [Fact]
    public void The_stat_used_off_Linux_agrees_with_lstat()
    {
        using var dir = new TempDir();
        var file = dir.Combine("f.txt");
        File.WriteAllText(file, "twelve bytes");
        var link = dir.Combine("link");
        File.CreateSymbolicLink(link, file);

        foreach (var path in new[] { file, dir.Path, link, dir.Combine("missing") })
        {
            Assert.Equal(NativeStat.LStat(path).Kind, UnixFileInfo.ManagedFallback(path).Kind);
        }

        var (nativeFile, managedFile) = (NativeStat.LStat(file), UnixFileInfo.ManagedFallback(file));
        Assert.Equal((nativeFile.Size, nativeFile.Mode, nativeFile.ModifiedUtc), (managedFile.Size, managedFile.Mode, managedFile.ModifiedUtc));
        Assert.Equal(NativeStat.LStat(dir.Path).Mode, UnixFileInfo.ManagedFallback(dir.Path).Mode);
    }
}
