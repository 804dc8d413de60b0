using System.Formats.Tar;
using AutoGlacier.Compression;
using AutoGlacier.Encryption;
using AutoGlacier.Restore;
using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;

namespace AutoGlacier.Tests.EndToEnd;

public class DamageAndHostilityTests
{
    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    public async Task A_damaged_archive_fails_restore_and_leaves_no_partial_file(string damage)
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        var file = Path.Combine(source, "data.bin");
        File.WriteAllBytes(file, TreeBuilder.Pseudo(3 << 20, 5));
        var backup = await world.BackupAsync([file], recursive: false);
        Damage(world.ArchiveFile(backup.ArchiveId!), damage);

        var target = world.NewDirectory("restored");
        var error = await Assert.ThrowsAsync<ArchiveIntegrityException>(() => world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target));
        Assert.Contains("chunk", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Verify_detects_a_changed_archive_without_the_key()
    {
        using var world = new BackupWorld("zstd");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        var backup = await world.BackupAsync([source]);
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var ok = await VerifyRunner.RunAsync(world.Config, new RunSelector { RunKey = backup.RunKey }, null, null, logger, CancellationToken.None);
        Assert.Empty(ok.Problems);
        var withKey = await VerifyRunner.RunAsync(world.Config, new RunSelector { Latest = true }, world.PrivateKeyPath, BackupWorld.Passphrase, logger, CancellationToken.None);
        Assert.Equal((0, 1), (withKey.Problems.Count, withKey.FilesVerified));

        Damage(world.ArchiveFile(backup.ArchiveId!), "flip");
        var bad = await VerifyRunner.RunAsync(world.Config, new RunSelector { RunKey = backup.RunKey }, null, null, logger, CancellationToken.None);
        Assert.Contains(bad.Problems, p => p.Contains("SHA-256") && p.Contains("the log says"));
    }

    [Fact]
    public async Task Wrong_passphrase_and_wrong_key_are_reported()
    {
        using var world = new BackupWorld("none");
        var source = world.NewDirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        var backup = await world.BackupAsync([source]);
        var target = world.NewDirectory("restored");
        await Assert.ThrowsAsync<WrongPassphraseException>(() => world.RestoreAsync(new RunSelector { RunKey = backup.RunKey }, target, passphrase: "wrong"));

        using var other = new BackupWorld("none");
        var request = new RestoreRequest
        {
            Config = world.Config, Selector = new RunSelector { RunKey = backup.RunKey }, PrivateKeyPath = other.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase, TargetDirectory = target,
        };
        await Assert.ThrowsAsync<WrongKeyException>(() => RestoreRunner.RunAsync(request, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [Fact]
    public async Task Hostile_entries_are_refused_and_nothing_lands_outside_the_restore_directory()
    {
        using var world = new BackupWorld("lzma");
        var outside = world.NewDirectory("outside");
        var archiveId = await StoreHostileArchiveAsync(world, outside);

        var target = world.NewDirectory("restored");
        var result = await world.RestoreAsync(new RunSelector { ArchiveId = archiveId }, target);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains(result.Problems, p => p.Contains("'../escape.txt'"));
        Assert.Contains(result.Problems, p => p.Contains("absolute path"));
        Assert.Contains(result.Problems, p => p.Contains("through the symlink"));
        Assert.Equal(outside, File.ResolveLinkTarget(Path.Combine(target, "link"), returnFinalTarget: false)!.FullName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(File.Exists(Path.Combine(world.Root, "escape.txt")));
        Assert.Equal("fine", File.ReadAllText(Path.Combine(target, "ok", "fine.txt")));
    }

    [Fact]
    public async Task With_external_links_skipped_the_link_is_left_out_and_nothing_is_written_through_it()
    {
        using var world = new BackupWorld("lzma");
        var outside = world.NewDirectory("outside");
        var archiveId = await StoreHostileArchiveAsync(world, outside);
        var target = world.NewDirectory("restored");
        var result = await RestoreRunner.RunAsync(new RestoreRequest
        {
            Config = world.Config, Selector = new RunSelector { ArchiveId = archiveId }, PrivateKeyPath = world.PrivateKeyPath,
            Passphrase = BackupWorld.Passphrase, TargetDirectory = target, SkipExternalSymlinks = true,
        }, CancellationToken.None);
        Assert.Equal(["link"], result.SkippedSymlinks);
        Assert.Null(new FileInfo(Path.Combine(target, "link")).LinkTarget); // "link/through-link.txt" made it a plain directory
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task Verify_without_key_or_log_entry_says_there_is_nothing_to_compare()
    {
        using var world = new BackupWorld("none");
        var archiveId = await StoreHostileArchiveAsync(world, world.NewDirectory("outside"));
        var error = await Assert.ThrowsAsync<AutoGlacierException>(() => VerifyRunner.RunAsync(world.Config,
            new RunSelector { ArchiveId = archiveId }, null, null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None));
        Assert.Contains("nothing to check it against", error.Message);
    }

    /// <summary>Builds an archive no AutoGlacier backup would make, through the real compression and encryption.</summary>
    private static async Task<string> StoreHostileArchiveAsync(BackupWorld world, string outside)
    {
        var vault = new LocalVault(world.Config.LocalVaultDir);
        await using var upload = await vault.BeginUploadAsync(new ArchiveUploadInfo("0", "hostile"), CancellationToken.None);
        await using (var encryptor = ArchiveEncryption.CreateEncryptor(upload.Content, [RecipientKey.Load(world.PublicKeyPath)], leaveOpen: true))
        await using (var compressor = CompressionCodecs.Create("lzma", new CompressionSettings()).CreateCompressor(encryptor, leaveOpen: true))
        await using (var tar = new TarWriter(compressor, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(Entry("ok/fine.txt", "fine"));
            tar.WriteEntry(Entry("../escape.txt", "evil"));
            tar.WriteEntry(Entry(Path.Combine(outside, "absolute.txt"), "evil"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = outside });
            tar.WriteEntry(Entry("link/through-link.txt", "evil"));
        }
        return (await upload.CompleteAsync(CancellationToken.None)).ArchiveId;
    }

    private static PaxTarEntry Entry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };

    private static void Damage(string archive, string how)
    {
        var bytes = File.ReadAllBytes(archive);
        if (how == "flip") { bytes[bytes.Length / 2] ^= 0x40; }
        else { Array.Resize(ref bytes, bytes.Length - 1000); }
        File.WriteAllBytes(archive, bytes);
    }
}
