namespace AutoGlacier.Vaults.Local;

// Local vault layout (format 1):
//
//   <vault>/archives/<id>.agc                 archive bytes, exactly as uploaded
//   <vault>/archives/<id>.json                metadata: id, run key, description, size, created, SHA-256, tree hash,
//                                             kind ("Catalog" for a run's snapshot catalog; absent or "Archive" else)
//   <vault>/archives/.tmp-run<key>-<id>-<rand>.agc  upload in progress (or left by a crash) of run <key>
//                                             ('.' in the run key written as '_')
//   <vault>/archives/.tmp-<id>-<rand>.json    metadata being written
//   <vault>/archives/.tmp-deleting-<id>-<rand>.agc   data of an archive being deleted
//
// The .agc file is the commit record: an archive exists exactly when <id>.agc exists. Its metadata is renamed
// into place first, so a listed archive always has its metadata; a crash before the data rename leaves at most a
// small orphan .json, which is never listed. Names starting with '.' are never archive ids, so temp files never
// show up. Everything lives in one directory so every rename is atomic on one file system.

/// <summary>Maps archive ids to paths inside a local vault; never builds a path from an unchecked id.</summary>
internal sealed class LocalVaultLayout
{
    public const string DataExtension = ".agc";
    public const string MetadataExtension = ".json";
    public const string TempPrefix = ".tmp-";

    public LocalVaultLayout(string vaultDirectory)
    {
        Root = Path.GetFullPath(vaultDirectory);
        ArchivesDirectory = Path.Combine(Root, "archives");
    }

    /// <summary>The vault directory the user configured, as a full path.</summary>
    public string Root { get; }

    /// <summary>The directory holding archive and metadata files.</summary>
    public string ArchivesDirectory { get; }

    /// <summary>Path of the archive bytes; validates the id first.</summary>
    public string DataPath(string archiveId) => PathFor(archiveId, DataExtension);

    /// <summary>Path of the archive metadata; validates the id first.</summary>
    public string MetadataPath(string archiveId) => PathFor(archiveId, MetadataExtension);

    /// <summary>A fresh temp path, invisible to listing, in the same directory so renames are atomic.</summary>
    public string TempPath(string archiveId, string purpose, string extension)
    {
        LocalArchiveId.Validate(archiveId, nameof(archiveId));
        string random = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        return Path.Combine(ArchivesDirectory, $"{TempPrefix}{purpose}{archiveId}-{random}{extension}");
    }

    /// <summary>A fresh temp path for the data of <paramref name="runKey"/>'s upload: the run key in its name lets a later
    /// process remove what a killed run left (<see cref="UploadTempFiles"/>).</summary>
    public string UploadTempPath(string archiveId, string runKey) => TempPath(archiveId, UploadPurpose(runKey), DataExtension);

    /// <summary>The temp data files of <paramref name="runKey"/>'s uploads (none for a key that cannot be in a name).</summary>
    public IEnumerable<string> UploadTempFiles(string runKey) =>
        UploadPurpose(runKey) is { Length: > 0 } purpose
            ? Directory.EnumerateFiles(ArchivesDirectory, TempPrefix + purpose + "*" + DataExtension)
            : [];

    /// <summary>"run" + the key with '.' as '_' and a dash, or "" when the key holds anything an id may not.</summary>
    private static string UploadPurpose(string runKey)
    {
        string tag = "run" + runKey.Replace('.', '_');
        return LocalArchiveId.IsValid(tag) ? tag + "-" : "";
    }

    /// <summary>The archive id a data file name stands for, or null for temp files and strangers.</summary>
    public static string? ArchiveIdOf(string dataFilePath)
    {
        if (!string.Equals(Path.GetExtension(dataFilePath), DataExtension, StringComparison.Ordinal))
        {
            return null;
        }

        string id = Path.GetFileNameWithoutExtension(dataFilePath);
        return LocalArchiveId.IsValid(id) ? id : null;
    }

    private string PathFor(string archiveId, string extension)
    {
        LocalArchiveId.Validate(archiveId, nameof(archiveId));
        string path = Path.Combine(ArchivesDirectory, archiveId + extension);

        // Belt and braces: validation already excludes separators, but the path must stay inside the vault.
        if (!string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), ArchivesDirectory, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Archive id '{archiveId}' would leave the vault directory.", nameof(archiveId));
        }

        return path;
    }
}
