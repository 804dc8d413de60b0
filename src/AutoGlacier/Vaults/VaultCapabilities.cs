namespace AutoGlacier.Vaults;

/// <summary>
/// What a vault's storage can and cannot do, stated by the vault itself (<see cref="IVault.Capabilities"/>) so that
/// callers decide by capability, never by comparing backend names.
/// </summary>
public sealed record VaultCapabilities
{
    /// <summary>What the storage is called in messages, e.g. <c>Glacier</c> or <c>S3 DEEP_ARCHIVE</c>.</summary>
    public required string StorageName { get; init; }

    /// <summary>
    /// Days the storage bills an archive for at least: deleting it earlier is charged for the rest. Null when there is
    /// no minimum.
    /// </summary>
    public int? MinimumStorageDays { get; init; }

    /// <summary>True when reading needs a retrieval first (<see cref="IVault.RequestRetrievalAsync"/> may report "pending" for hours).</summary>
    public bool ReadsNeedRetrieval { get; init; }

    /// <summary>
    /// The retrieval tiers a read may use, each with its typical wait (e.g. <c>("Bulk", "within 48 hours")</c>); empty when
    /// reads need no retrieval. A tier that is not listed is refused before anything is requested.
    /// </summary>
    public IReadOnlyList<(string Tier, string TypicalWait)> RetrievalTiers { get; init; } = [];

    /// <summary>True when uploads go up in parts and an interrupted one can be resumed (<c>autoglacier resume</c>).</summary>
    public bool ResumableUploads { get; init; }

    /// <summary>True when the vault lives in an AWS-style region (REGION_NAME), which the run's log entry then records.</summary>
    public bool UsesRegion { get; init; }

    /// <summary>
    /// How long a newly stored archive may be missing from <see cref="IVault.ListAsync"/> (Glacier's inventory is
    /// refreshed about once a day); null when listings are current.
    /// </summary>
    public TimeSpan? ListingLag { get; init; }
}
