using AutoGlacier.Restore;
using AutoGlacier.Tests.Compression;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Restore;

/// <summary>
/// The restored file's system calls (native on Linux): owner-only creation that never opens an existing file, mode
/// and mtime (to the tick, before 1970 too), and a rename that replaces an existing file only when asked.
/// </summary>
public class RestoredFileTests
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static TheoryData<DateTime> Times => new()
    {
        new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567),
        new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(5_000_001), // negative seconds, positive nanoseconds
        DateTime.UnixEpoch,
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Written_content_gets_its_mode_and_mtime_and_the_real_name(DateTime modified)
    {
        using var dir = new TempDir();
        var (temp, target) = (dir.Combine(".agpart-1"), dir.Combine("file.bin"));
        var content = TestData.Mixed(300_000, pieceSize: 10_000, seed: 3);

        using (var file = RestoredFile.Create(temp))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp)); // owner-only while written
            file.Write(content.AsSpan(0, 100_000));
            file.Write(content.AsSpan(100_000));
            file.Seal(new EntryMetadata(Mode, modified));
        }
        RestoredFile.Rename(temp, target, overwrite: false);

        Assert.False(File.Exists(temp));
        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal(Mode, File.GetUnixFileMode(target));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(target));
    }

    [Fact]
    public void Creating_over_an_existing_file_fails_and_leaves_it_alone()
    {
        using var dir = new TempDir();
        var existing = dir.Write("x", "mine");

        var error = Assert.Throws<IOException>(() => RestoredFile.Create(existing));

        Assert.Contains(existing, error.Message);
        Assert.Equal("mine", File.ReadAllText(existing));
    }

    [Fact]
    public void A_rename_onto_an_existing_file_fails_unless_overwriting_and_then_replaces_it()
    {
        using var dir = new TempDir();
        var target = dir.Write("target.txt", "mine");
        var temp = dir.Write(".agpart-2", "restored");

        var error = Assert.Throws<IOException>(() => RestoredFile.Rename(temp, target, overwrite: false));
        Assert.Contains("already exists", error.Message);
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.True(File.Exists(temp));

        RestoredFile.Rename(temp, target, overwrite: true);
        Assert.Equal("restored", File.ReadAllText(target));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void A_rename_onto_a_directory_fails_with_the_paths_in_the_message()
    {
        using var dir = new TempDir();
        var target = Directory.CreateDirectory(dir.Combine("d")).FullName;
        var temp = dir.Write(".agpart-3", "restored");

        var error = Assert.Throws<IOException>(() => RestoredFile.Rename(temp, target, overwrite: true));

        Assert.Contains(temp, error.Message);
        Assert.True(Directory.Exists(target));
    }
}
