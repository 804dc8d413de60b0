namespace AutoGlacier.Vaults.Glacier;

/// <summary>The archive needs more parts than Glacier allows for one upload; the message names the PART_SIZE_MB to use.</summary>
public sealed class PartLimitExceededException : AutoGlacierException
{
    /// <inheritdoc />
    public PartLimitExceededException(string message) : base(message) { }

    /// <inheritdoc />
    public PartLimitExceededException(string message, Exception inner) : base(message, inner) { }

    /// <inheritdoc />
    public PartLimitExceededException() { }

    internal static PartLimitExceededException For(GlacierSettings settings)
    {
        long limitMiB = (long)settings.PartSizeMb * settings.MaxParts;
        int suggested = Math.Min(GlacierBackend.MaxPartSizeMb, settings.PartSizeMb * 4);
        return new PartLimitExceededException(
            $"The archive for vault '{settings.VaultName}' is larger than {settings.MaxParts:N0} parts of PART_SIZE_MB={settings.PartSizeMb} " +
            $"({limitMiB / 1024.0:N1} GiB), the most one Glacier archive can have in this configuration; the upload was aborted. " +
            $"Set PART_SIZE_MB to {suggested} (a power of two up to {GlacierBackend.MaxPartSizeMb}; memory use is about part size × (UPLOAD_CONCURRENCY + 1)), " +
            "or back up fewer files per run.");
    }
}
