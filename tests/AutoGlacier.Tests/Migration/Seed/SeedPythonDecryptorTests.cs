using System.Formats.Tar;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Migration.Seed;

/// <summary>tools/autoglacier-decrypt.py --seed: the reference decryptor opens seed archives with python3-cryptography alone.</summary>
public sealed class SeedPythonDecryptorTests
{
    private static string Fixture(string name) => Path.Combine(Tool.RepoRoot(), "tests", "AutoGlacier.Tests", "Migration", "Seed", "Fixtures", name);

    private static (int Exit, byte[] Output, string Error) Decrypt(string archive) => Tool.Run("/usr/bin/python3",
        [Path.Combine(Tool.RepoRoot(), "tools", "autoglacier-decrypt.py"), "--seed", "--key", Fixture("seed-private.pem"), archive],
        env: new Dictionary<string, string> { ["AUTOGLACIER_PASSPHRASE"] = "seed fixture passphrase" });

    [Fact]
    public void The_committed_seed_archive_decrypts_to_a_tar_xz_that_xz_and_tar_read()
    {
        if (!Tool.Available("/usr/bin/python3") || !Tool.Available("/usr/bin/xz")) { return; }

        var (exit, output, error) = Decrypt(Fixture("seed-archive.tar.xz.enc"));
        Assert.True(exit == 0, error);
        var (xzExit, tar, xzError) = Tool.Run("/usr/bin/xz", ["-dc"], stdin: output);
        Assert.True(xzExit == 0, xzError);

        using var reader = new TarReader(new MemoryStream(tar));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) { names.Add(entry.Name); }
        Assert.Contains("tmp/ag-seed-fixture/notes/hello.txt", names);
        Assert.Contains("tmp/ag-seed-fixture/notes/data.bin", names);
    }

    [Fact]
    public void A_modified_seed_archive_writes_nothing_and_fails()
    {
        if (!Tool.Available("/usr/bin/python3")) { return; }
        string copy = Path.Combine(Path.GetTempPath(), $"ag-seed-{Guid.NewGuid():N}.enc");
        byte[] archive = File.ReadAllBytes(Fixture("seed-archive.tar.xz.enc"));
        archive[^3] ^= 0x40;
        File.WriteAllBytes(copy, archive);
        try
        {
            var (exit, output, error) = Decrypt(copy);

            Assert.Equal(1, exit);
            Assert.Empty(output);
            Assert.Contains("EAX tag does not match", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
