using System.Security.Cryptography;
using System.Text;

namespace AutoGlacier.Tests.Support;

/// <summary>Builds test trees and deterministic content.</summary>
public static class TreeBuilder
{
    /// <summary>Regular files <see cref="Awkward"/> creates.</summary>
    public const int AwkwardRegularFiles = 8;

    /// <summary>
    /// Unicode and space names, a name over 100 bytes, a path over 255 bytes, an empty file, files of exactly 1 MiB
    /// and 1 MiB + 1, an executable, a private file, a relative symlink, an empty directory, odd mtimes.
    /// </summary>
    public static void Awkward(string root)
    {
        Write(root, "plain.txt", Encoding.UTF8.GetBytes("hello\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Write(root, "spaces and ünïcødé 📦.txt", Encoding.UTF8.GetBytes("unicode\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(root, new string('n', 120) + ".txt", Encoding.UTF8.GetBytes("long name\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var deep = string.Join('/', Enumerable.Range(0, 6).Select(i => $"directory-level-{i}-" + new string('d', 40)));
        Write(root, deep + "/deep.txt", Encoding.UTF8.GetBytes("deep\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(root, "empty", [], UnixFileMode.UserRead);
        Write(root, "one-mib.bin", Pseudo(1 << 20, 1), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(root, "one-mib-plus-one.bin", Pseudo((1 << 20) + 1, 2), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(root, "bin/run.sh", Encoding.UTF8.GetBytes("#!/bin/sh\necho hi\n"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.CreateSymbolicLink(Path.Combine(root, "bin", "link-to-plain"), "../plain.txt");
        Directory.CreateDirectory(Path.Combine(root, "empty-dir"));
        SetDirectoryTimes(root);
    }

    /// <summary>Writes a file of <paramref name="size"/> bytes: compressible text blocks mixed with random blocks.</summary>
    public static void WriteMixed(string path, long size, int seed)
    {
        var random = new Random(seed);
        var block = new byte[1 << 20];
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 60000).Select(i => $"line {i} of some log text\n")));
        using var output = File.Create(path);
        for (long written = 0, index = 0; written < size; index++)
        {
            if (index % 3 == 0) { random.NextBytes(block); } else { text.AsSpan(0, block.Length).CopyTo(block); }
            var count = (int)Math.Min(block.Length, size - written);
            output.Write(block, 0, count);
            written += count;
        }
    }

    public static byte[] Pseudo(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void Write(string root, string relative, byte[] content, UnixFileMode mode)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, mode);
        File.SetLastWriteTimeUtc(path, new DateTime(2019, 5, 17, 10, 20, 30, DateTimeKind.Utc).AddTicks(relative.Length * 1234567L));
    }

    private static void SetDirectoryTimes(string root)
    {
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
        {
            Directory.SetLastWriteTimeUtc(dir, new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(dir.Length));
        }
    }
}
