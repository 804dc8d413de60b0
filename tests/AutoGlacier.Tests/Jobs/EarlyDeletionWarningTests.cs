using AutoGlacier.Log;

namespace AutoGlacier.Tests.Jobs;

/// <summary>The early-deletion warning of <c>delete</c> follows the run's storage: backend, and for S3 the storage class the run recorded.</summary>
public sealed class EarlyDeletionWarningTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static RunRecord Run(string backend, string? storageClass, double ageDays) => new()
    {
        Backend = backend,
        StartedAt = Now - TimeSpan.FromDays(ageDays),
        Config = storageClass is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["S3_STORAGE_CLASS"] = storageClass },
    };

    [Theory]
    [InlineData("glacier", "DEEP_ARCHIVE", 90)] // a Glacier vault; the summary's S3 key is the unused default
    [InlineData("s3", "DEEP_ARCHIVE", 180)]
    [InlineData("s3", "GLACIER", 90)]
    [InlineData("s3", "GLACIER_IR", 90)]
    [InlineData("s3", "STANDARD_IA", 30)]
    [InlineData("s3", null, 180)] // a run that recorded no class: S3_STORAGE_CLASS's default
    public void A_young_archive_warns_with_the_minimum_duration_of_its_storage(string backend, string? storageClass, int minimum)
    {
        RunRecord run = Run(backend, storageClass, ageDays: 10.4);

        string? warning = RunDeletion.EarlyDeletionWarning(run, Now);

        Assert.Equal(minimum, RunDeletion.MinimumStorageDaysOf(run));
        Assert.NotNull(warning);
        string storage = backend == "glacier" ? "Glacier" : $"S3 {storageClass ?? "DEEP_ARCHIVE"}";
        Assert.Equal($"The archive was 10 days old: {storage} bills objects deleted before {minimum} days for the remaining {minimum - 10} days.", warning);
    }

    [Theory]
    [InlineData("glacier", null, 90)]
    [InlineData("s3", "DEEP_ARCHIVE", 180)]
    [InlineData("s3", "GLACIER", 90)]
    [InlineData("s3", "STANDARD_IA", 30)]
    public void An_archive_past_its_minimum_duration_gets_no_warning_one_day_earlier_does(string backend, string? storageClass, int minimum)
    {
        Assert.Null(RunDeletion.EarlyDeletionWarning(Run(backend, storageClass, minimum), Now));
        Assert.Contains("for the remaining 1 days", RunDeletion.EarlyDeletionWarning(Run(backend, storageClass, minimum - 1), Now), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3", "STANDARD")]
    [InlineData("local", null)]
    [InlineData("local", "DEEP_ARCHIVE")]
    public void Storage_without_a_minimum_duration_never_warns(string backend, string? storageClass)
    {
        RunRecord run = Run(backend, storageClass, ageDays: 0);

        Assert.Null(RunDeletion.MinimumStorageDaysOf(run));
        Assert.Null(RunDeletion.EarlyDeletionWarning(run, Now));
    }
}
