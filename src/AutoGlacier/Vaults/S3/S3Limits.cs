namespace AutoGlacier.Vaults.S3;

/// <summary>Amazon S3's multipart limits, and the checks that refuse a configuration or an archive breaking them.</summary>
internal static class S3Limits
{
    /// <summary>One mebibyte.</summary>
    public const int MiB = 1 << 20;

    /// <summary>Smallest part (all parts but the last): 5 MiB.</summary>
    public const long MinPartSize = 5L * MiB;

    /// <summary>Largest part: 5 GiB.</summary>
    public const long MaxPartSize = 5L * 1024 * MiB;

    /// <summary>Largest PART_SIZE_MB AutoGlacier accepts: parts are held in memory (arrays stop short of 2 GiB).</summary>
    public const int MaxPartSizeMb = 1024;

    /// <summary>Most parts in one multipart upload.</summary>
    public const int MaxParts = 10_000;

    /// <summary>Largest object: 5 TiB.</summary>
    public const long MaxObjectSize = 5L * 1024 * 1024 * MiB;

    /// <summary>Largest archive a part size allows: 10,000 parts, capped by the 5 TiB object limit.</summary>
    public static long MaxArchiveSize(long partSize) => Math.Min(partSize * MaxParts, MaxObjectSize);

    /// <summary>The smallest PART_SIZE_MB that lets an archive of <paramref name="archiveSize"/> bytes fit.</summary>
    public static long PartSizeMbFor(long archiveSize) => Math.Max(MinPartSize / MiB, (archiveSize + ((long)MaxParts * MiB) - 1) / ((long)MaxParts * MiB));

    /// <summary>The error for an archive that outgrew what the part size allows, naming the fix.</summary>
    public static AutoGlacierException TooLarge(long partSize, long bytesSoFar) => new(
        $"The archive is larger than {MaxArchiveSize(partSize):N0} bytes, the most {MaxParts:N0} parts of PART_SIZE_MB " +
        $"{partSize / MiB} can hold (S3 allows at most {MaxParts:N0} parts per object; {bytesSoFar:N0} bytes were written). " +
        $"Set PART_SIZE_MB to at least {PartSizeMbFor(bytesSoFar * 2)} for an archive twice this size (maximum {MaxPartSizeMb}; objects are limited to 5 TiB), or split the backup.");
}
