using System.Globalization;
using Amazon.S3.Model;

namespace AutoGlacier.Vaults.S3;

/// <summary>What HeadObject says about an object's storage class and restore (the <c>x-amz-restore</c> header).</summary>
internal sealed record S3RestoreStatus(string StorageClass, bool InProgress, DateTime? RestoredUntil)
{
    /// <summary>Readable now: an instant-access class, or an archived object whose restored copy is available.</summary>
    public bool IsReadable => !S3StorageClasses.NeedsRestore(StorageClass) || (!InProgress && RestoredUntil is not null);

    public static S3RestoreStatus Of(GetObjectMetadataResponse head) => new(
        head.StorageClass?.Value is { Length: > 0 } storageClass ? storageClass : S3StorageClasses.Standard,
        head.RestoreInProgress == true,
        head.RestoreExpiration);

    public string Describe(string uri)
    {
        if (!S3StorageClasses.NeedsRestore(StorageClass))
        {
            return $"ready: {uri} is in {StorageClass}, readable at once";
        }

        return InProgress
            ? $"restore of {uri} from {StorageClass} in progress; S3 has not finished copying it out of the archive tier yet"
            : $"ready: restored copy of {uri} readable until {RestoredUntil?.ToString("u", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The message for a GET that S3 refused with 403 InvalidObjectState.</summary>
    public string NotReadableMessage(string uri, string tier)
    {
        string state = InProgress ? "its restore is still in progress" : "no restore was requested (or the restored copy expired)";
        return $"Object {uri} is in {StorageClass} and not restored yet: {state}. Run restore again after the restore completes " +
            $"({TypicalWait(StorageClass, tier)}); the restore command requests it if needed.";
    }

    /// <summary>The tier to use, refusing tiers S3 does not offer for the storage class.</summary>
    public static string CheckTier(string requested, string storageClass, string uri)
    {
        string tier = S3RetrievalTiers.Normalize(requested)
            ?? throw new AutoGlacierException($"RETRIEVAL_TIER = \"{requested}\" is not a restore tier; allowed: Bulk, Standard, Expedited.");
        if (tier == S3RetrievalTiers.Expedited && storageClass == S3StorageClasses.DeepArchive)
        {
            throw new AutoGlacierException($"{uri} is in DEEP_ARCHIVE, which has no Expedited restore tier; use RETRIEVAL_TIER " +
                "\"Standard\" (within 12 hours) or \"Bulk\" (within 48 hours).");
        }

        return tier;
    }

    /// <summary>AWS's published restore times, for messages.</summary>
    public static string TypicalWait(string storageClass, string tier) => (storageClass, tier) switch
    {
        (S3StorageClasses.DeepArchive, S3RetrievalTiers.Bulk) => "Deep Archive Bulk restores finish within 48 hours",
        (S3StorageClasses.DeepArchive, _) => "Deep Archive Standard restores finish within 12 hours",
        (_, S3RetrievalTiers.Expedited) => "Expedited restores usually finish in 1–5 minutes",
        (_, S3RetrievalTiers.Bulk) => "Bulk restores usually finish in 5–12 hours",
        _ => "Standard restores usually finish in 3–5 hours",
    };
}
