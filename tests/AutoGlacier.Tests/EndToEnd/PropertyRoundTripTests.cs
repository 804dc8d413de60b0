using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using CsCheck;

namespace AutoGlacier.Tests.EndToEnd;

/// <summary>Random small trees survive backup → restore byte for byte, whatever the codec.</summary>
public class PropertyRoundTripTests
{
    private static readonly string[] Codecs = ["none", "zstd", "lzma"];
    private static readonly UnixFileMode[] Modes =
    [
        UnixFileMode.UserRead | UnixFileMode.UserWrite,
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        UnixFileMode.UserRead,
    ];

    private static readonly Gen<string> Names = Gen.Char["abcXYZ 019_-.äßø漢😀"].Array[1, 24].Select(chars => new string(chars));

    private static readonly Gen<(int Dir, string Name, byte[] Content, int Mode, long MtimeSeconds)> Files = Gen.Select(
        Gen.Int[0, 3], Names, Gen.OneOf(Gen.Byte.Array[0, 4000], Gen.Byte[0, 2].Array[0, 70_000]), Gen.Int[0, Modes.Length - 1],
        Gen.Long[0, 2_000_000_000]);

    [Fact]
    public void Random_trees_round_trip() =>
        Gen.Select(Files.Array[1, 8], Gen.Int[0, Codecs.Length - 1]).Sample((files, codec) =>
        {
            using var world = new BackupWorld(Codecs[codec]);
            var source = world.NewDirectory("source");
            for (var i = 0; i < files.Length; i++)
            {
                var (dir, name, content, mode, mtime) = files[i];
                var path = Path.Combine(source, "dir" + dir, $"{name.Trim('.', ' ')}-{i}");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, content);
                File.SetUnixFileMode(path, Modes[mode]);
                File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(mtime));
            }
            var backup = world.BackupAsync([source]).GetAwaiter().GetResult();
            Assert.Equal(ExitCodes.Success, backup.ExitCode);
            var target = world.NewDirectory("restored");
            var restore = world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target).GetAwaiter().GetResult();
            Assert.Empty(restore.Problems);
            Assert.Equal(files.Length, restore.FilesVerified);
            TreeAssert.Identical(source, target);
        }, iter: 12, threads: 1);
}
