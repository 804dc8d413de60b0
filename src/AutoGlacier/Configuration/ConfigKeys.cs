namespace AutoGlacier.Configuration;

/// <summary>
/// The names of the keys every configuration may have, and of the keys several cloud backends share (the Python
/// seed's, plus AutoGlacier's own in the same style). A key only one backend reads is declared in that backend's folder
/// (e.g. <see cref="Vaults.S3.S3Backend"/>) and reaches the parser through <see cref="Vaults.BackendRegistry"/>.
/// </summary>
internal static class ConfigKeys
{
    public const string Compression = "COMPRESSION";
    public const string CompressionLevel = "COMPRESSION_LEVEL";
    public const string CompressionThreads = "COMPRESSION_THREADS";
    public const string TmpDir = "TMP_DIR";
    public const string JsonDatabase = "JSON_DATABASE";
    public const string RsaPassphrase = "RSA_PASSPHRASE";
    public const string PublicKeyPath = "PUBL_RSA_KEY_PATH";
    public const string RegionName = "REGION_NAME";
    public const string AwsAccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string AwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string Backend = "BACKEND";
    public const string EndpointUrl = "ENDPOINT_URL";
    public const string AwsProfile = "AWS_PROFILE";
    public const string PartSizeMb = "PART_SIZE_MB";
    public const string UploadConcurrency = "UPLOAD_CONCURRENCY";
    public const string RetrievalTier = "RETRIEVAL_TIER";
    public const string SpoolArchive = "SPOOL_ARCHIVE";
    public const string OnSuccessCommand = "ON_SUCCESS_COMMAND";
    public const string OnFailureCommand = "ON_FAILURE_COMMAND";
    public const string BackupMode = "BACKUP_MODE";
    public const string FullEvery = "FULL_EVERY";
    public const string ChangeDetection = "CHANGE_DETECTION";

    /// <summary>Keys reserved for features of later versions: rejected, so a setting is never silently ignored.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Keys whose values are secrets: never echoed in any message.</summary>
    public static bool IsSecret(string key) => key is RsaPassphrase or AwsSecretAccessKey;

    /// <summary>
    /// The known key closest to <paramref name="unknown"/> when it looks like a typo (edit distance ≤ 2, ignoring
    /// case), or null.
    /// </summary>
    public static string? Suggest(string unknown, IEnumerable<string> known)
    {
        string upper = unknown.ToUpperInvariant();
        return known.Concat(Reserved)
            .Select(k => (Key: k, Distance: EditDistance(upper, k)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Key)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance (two rolling rows: keys are short).</summary>
    private static int EditDistance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
