namespace AutoGlacier;

/// <summary>How a vault's listing (for Glacier, an inventory) compares with the JSON log.</summary>
/// <param name="ArchivesInVault">Archives the vault listed.</param>
/// <param name="UnknownToLog">Archives in the vault that no run in the log names.</param>
/// <param name="MissingFromVault">Runs (key, archive id) whose archive the vault did not list (not deleted through AutoGlacier).</param>
/// <param name="SizeMismatches">Runs whose archive size differs from the log's: (key, archive id, log size, vault size).</param>
public sealed record InventoryReport(
    int ArchivesInVault,
    IReadOnlyList<Vaults.VaultArchive> UnknownToLog,
    IReadOnlyList<(string RunKey, string ArchiveId)> MissingFromVault,
    IReadOnlyList<(string RunKey, string ArchiveId, long LogSize, long VaultSize)> SizeMismatches)
{
    /// <summary>
    /// What the listed vault can do; its <see cref="Vaults.VaultCapabilities.ListingLag"/> says how recent a run may be
    /// and still be missing from the listing (Glacier's inventory is refreshed about daily).
    /// </summary>
    public Vaults.VaultCapabilities? VaultCapabilities { get; init; }

    /// <summary>True when the vault and the log agree.</summary>
    public bool Consistent => UnknownToLog.Count == 0 && MissingFromVault.Count == 0 && SizeMismatches.Count == 0;
}
