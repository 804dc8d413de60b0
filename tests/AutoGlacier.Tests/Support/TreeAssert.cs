using AutoGlacier.Gathering;

namespace AutoGlacier.Tests.Support;

/// <summary>Compares an original tree with its restored copy: content, mode, mtime, symlinks.</summary>
public static class TreeAssert
{
    public static void Identical(string originalRoot, string restoreRoot)
    {
        var originals = Directory.EnumerateFileSystemEntries(originalRoot, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(originals);
        foreach (var original in originals)
        {
            var restored = BackupWorld.Restored(restoreRoot, original);
            var (a, b) = (UnixFileInfo.Get(original), UnixFileInfo.Get(restored));
            Assert.True(a.Kind == b.Kind, $"{original}: kind {a.Kind} restored as {b.Kind}");
            switch (a.Kind)
            {
                case FileKind.SymbolicLink:
                    Assert.Equal(new FileInfo(original).LinkTarget, new FileInfo(restored).LinkTarget);
                    break;
                case FileKind.RegularFile:
                    Assert.True(File.ReadAllBytes(original).AsSpan().SequenceEqual(File.ReadAllBytes(restored)), $"{original}: content differs");
                    Assert.Equal((original, a.Mode), (original, b.Mode));
                    Assert.Equal((original, a.ModifiedUtc), (original, b.ModifiedUtc));
                    break;
                case FileKind.Directory:
                    Assert.Equal((original, a.Mode), (original, b.Mode));
                    Assert.Equal((original, a.ModifiedUtc), (original, b.ModifiedUtc));
                    break;
            }
        }
    }
}
