using Amazon.S3.Model;

namespace AutoGlacier.Vaults.S3;

/// <summary>
/// The user metadata (<c>x-amz-meta-autoglacier-*</c>) AutoGlacier puts on each archive object, and reading it back.
/// </summary>
/// <remarks>
/// S3 metadata must be ASCII and is fixed when the upload starts (CreateMultipartUpload), before any byte is hashed.
/// So the run key, format version and description are always there; the archive's SHA-256 and tree hash only on
/// objects stored in one PutObject (archives up to one part). For multipart objects S3 keeps its own composite
/// SHA-256 of the parts, and the JSON log has both hashes. The description is percent-encoded UTF-8 (lossless,
/// header-safe); S3 caps all user metadata at 2 KB, so a very long description is cut at a character boundary and
/// flagged (the log keeps it whole).
/// </remarks>
internal static class S3ArchiveMetadata
{
    /// <summary>Version of this object layout (key and metadata names).</summary>
    public const string FormatVersion = "1";

    public const string RunKeyName = "autoglacier-run-key";
    public const string FormatName = "autoglacier-format";
    public const string DescriptionName = "autoglacier-description";
    public const string DescriptionTruncatedName = "autoglacier-description-truncated";
    public const string Sha256Name = "autoglacier-sha256";
    public const string TreeHashName = "autoglacier-tree-hash";

    /// <summary>Set to <see cref="CatalogKind"/> on snapshot catalogs; absent on archives (and on every object written before catalogs).</summary>
    public const string KindName = "autoglacier-kind";

    public const string CatalogKind = "catalog";

    private const int MaxEncodedDescription = 1500;

    public static void Describe(MetadataCollection metadata, ArchiveUploadInfo info)
    {
        metadata.Add(RunKeyName, Uri.EscapeDataString(info.RunKey));
        metadata.Add(FormatName, FormatVersion);
        (string encoded, bool truncated) = EncodeDescription(info.Description);
        metadata.Add(DescriptionName, encoded);
        if (truncated)
        {
            metadata.Add(DescriptionTruncatedName, "true");
        }

        if (info.Kind == VaultObjectKind.Catalog)
        {
            metadata.Add(KindName, CatalogKind);
        }
    }

    public static void AddHashes(MetadataCollection metadata, string sha256, string treeHash)
    {
        metadata.Add(Sha256Name, sha256);
        metadata.Add(TreeHashName, treeHash);
    }

    public static string? RunKey(MetadataCollection metadata) => Decoded(metadata, RunKeyName);

    public static string? Description(MetadataCollection metadata) => Decoded(metadata, DescriptionName);

    public static VaultObjectKind Kind(MetadataCollection metadata) =>
        metadata[KindName] == CatalogKind ? VaultObjectKind.Catalog : VaultObjectKind.Archive;

    /// <summary>Percent-encodes the description, cutting whole characters until it fits the metadata budget.</summary>
    public static (string Encoded, bool Truncated) EncodeDescription(string description)
    {
        string encoded = Uri.EscapeDataString(description);
        if (encoded.Length <= MaxEncodedDescription)
        {
            return (encoded, false);
        }

        var runes = description.EnumerateRunes().ToList();
        int keep = runes.Count;
        while (encoded.Length > MaxEncodedDescription)
        {
            keep = keep * MaxEncodedDescription / encoded.Length;
            encoded = Uri.EscapeDataString(string.Concat(runes.Take(keep)));
        }

        return (encoded, true);
    }

    private static string? Decoded(MetadataCollection metadata, string name)
    {
        string? value = metadata[name];
        return value is null ? null : Uri.UnescapeDataString(value);
    }
}
