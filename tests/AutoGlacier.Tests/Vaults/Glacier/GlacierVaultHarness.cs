using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Store-and-read helpers for Glacier tests that look past the conformance suite (faults, limits, errors).</summary>
internal static class GlacierVaultHarness
{
    /// <summary>Writes a config file (seed key names) for <paramref name="world"/> backed by the local Glacier server.</summary>
    /// <param name="extraKeys">More keys, as JSON members (e.g. <c>"PART_SIZE_MB": 1</c>), appended to the object.</param>
    public static string WriteGlacierConfig(AutoGlacier.Tests.Support.BackupWorld world, LocalGlacierFixture glacier, string vaultName, string extraKeys = "")
    {
        string configPath = Path.Combine(world.Root, "glacier.json");
        File.WriteAllText(configPath, $$"""
            {
              "BACKEND": "glacier", "ENDPOINT_URL": "{{glacier.Endpoint}}", "VAULT_NAME": "{{vaultName}}", "CREATE_VAULT": true,
              "AWS_ACCESS_KEY_ID": "{{LocalGlacierFixture.AccessKey}}", "AWS_SECRET_ACCESS_KEY": "{{LocalGlacierFixture.SecretKey}}",
              "COMPRESSION": "zstd", "TMP_DIR": "{{world.Config.TmpDir}}", "JSON_DATABASE": "{{world.Config.JsonDatabase}}",
              "PUBL_RSA_KEY_PATH": "{{world.PublicKeyPath}}"{{(extraKeys.Length == 0 ? "" : ", " + extraKeys)}}
            }
            """);
        return configPath;
    }

    public const int MiB = 1 << 20;

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static async Task<StoredArchive> StoreAsync(IVault vault, byte[] data, string description = "harness")
    {
        await using IArchiveUpload upload = await vault.BeginUploadAsync(new ArchiveUploadInfo("1700000000", description), CancellationToken.None);
        await upload.Content.WriteAsync(data);
        return await upload.CompleteAsync(CancellationToken.None);
    }

    /// <summary>Reads an archive whose retrieval is ready at once (the local server's jobs finish immediately).</summary>
    public static Task<byte[]> ReadAsync(IVault vault, string archiveId) => Multipart.MultipartTestData.ReadAsync(vault, archiveId);

    /// <summary>Multipart uploads the server still holds open (neither completed nor aborted).</summary>
    public static IEnumerable<string> OpenUploads(LocalGlacierFixture glacier, string vault) =>
        Directory.EnumerateDirectories(Path.Combine(glacier.DataDirectory, "vaults", vault, "uploads"))
            .Where(upload => !File.Exists(Path.Combine(upload, "completed.json")));

    public static IEnumerable<string> StoredArchives(LocalGlacierFixture glacier, string vault) =>
        Directory.EnumerateFiles(Path.Combine(glacier.DataDirectory, "vaults", vault, "archives"), "*.data");
}
