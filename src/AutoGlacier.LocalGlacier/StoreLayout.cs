using System.Text.RegularExpressions;

namespace AutoGlacier.LocalGlacier;

/// <summary>
/// Where everything lives on disk: <c>vaults/NAME/vault.json</c>, <c>archives/ID.data|.json</c>,
/// <c>uploads/ID/upload.json</c> with <c>START.part|.json</c> per part, <c>jobs/ID.json</c> (and
/// <c>ID.inventory</c>), plus <c>incoming/</c> for bodies being received.
/// </summary>
internal sealed partial class StoreLayout
{
    public const string AccountId = "012345678901";
    public const string Region = "us-east-1";

    public StoreLayout(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(Root, "vaults"));
        Directory.CreateDirectory(Incoming);
    }

    public string Root { get; }

    public string Incoming => Path.Combine(Root, "incoming");

    public string VaultsDir => Path.Combine(Root, "vaults");

    /// <summary>Serialises metadata changes (creating, completing, deleting); bodies stream outside it.</summary>
    public SemaphoreSlim MetadataLock { get; } = new(1, 1);

    public string VaultDir(string vault) => Path.Combine(VaultsDir, CheckVaultName(vault));

    public string VaultFile(string vault) => Path.Combine(VaultDir(vault), "vault.json");

    public string ArchivesDir(string vault) => Path.Combine(VaultDir(vault), "archives");

    public string ArchiveData(string vault, string id) => Path.Combine(ArchivesDir(vault), CheckId(id, "archive") + ".data");

    public string ArchiveMeta(string vault, string id) => Path.Combine(ArchivesDir(vault), CheckId(id, "archive") + ".json");

    public string UploadsDir(string vault) => Path.Combine(VaultDir(vault), "uploads");

    public string UploadDir(string vault, string id) => Path.Combine(UploadsDir(vault), CheckId(id, "upload"));

    public string JobsDir(string vault) => Path.Combine(VaultDir(vault), "jobs");

    public string JobMeta(string vault, string id) => Path.Combine(JobsDir(vault), CheckId(id, "job") + ".json");

    public string InventoryFile(string vault, string id) => Path.Combine(JobsDir(vault), CheckId(id, "job") + ".inventory");

    public static string VaultArn(string vault) => $"arn:aws:glacier:{Region}:{AccountId}:vaults/{vault}";

    public static string VaultPath(string vault) => $"/{AccountId}/vaults/{vault}";

    /// <summary>Throws Glacier's 404 unless the vault exists.</summary>
    public void RequireVault(string vault)
    {
        if (!File.Exists(VaultFile(vault)))
        {
            throw GlacierException.NotFound($"Vault not found for ARN: {VaultArn(vault)}");
        }
    }

    private static string CheckVaultName(string vault) => VaultNamePattern().IsMatch(vault)
        ? vault
        : throw GlacierException.InvalidParameter($"Invalid vault name '{vault}': 1-255 characters from a-z, A-Z, 0-9, '_', '-', '.'.");

    // An id that could not be ours cannot name anything stored: answer 404 as Glacier does.
    private static string CheckId(string id, string what) => GlacierIds.IsWellFormed(id)
        ? id
        : throw GlacierException.NotFound($"No {what} with id '{id}'.");

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex VaultNamePattern();
}
