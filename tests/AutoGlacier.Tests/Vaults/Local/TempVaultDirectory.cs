namespace AutoGlacier.Tests.Vaults.Local;

/// <summary>A fresh directory under the temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempVaultDirectory : IDisposable
{
    public TempVaultDirectory()
    {
        Parent = Path.Combine(Path.GetTempPath(), $"autoglacier-vault-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Parent);
    }

    /// <summary>The temp directory itself; the vault lives one level down so tests can check nothing escapes it.</summary>
    public string Parent { get; }

    /// <summary>Where the vault goes (not created: the vault must create it).</summary>
    public string VaultPath => Path.Combine(Parent, "vault");

    public string ArchivesPath => Path.Combine(VaultPath, "archives");

    public void Dispose()
    {
        if (Directory.Exists(Parent))
        {
            Directory.Delete(Parent, recursive: true);
        }
    }
}
