namespace AutoGlacier.Tests.Hashing;

/// <summary>
/// A theory that needs botocore: skipped with the reason when it is missing locally, but run (and so failing)
/// when <c>CI=true</c>, so CI can never lose the independent cross-check unnoticed.
/// </summary>
public sealed class BotocoreTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when botocore is unavailable outside CI.</summary>
    public BotocoreTheoryAttribute()
    {
        if (!Botocore.IsCi && Botocore.WhyUnavailable is { } reason)
        {
            Skip = $"Independent tree hash unavailable: {reason} (set CI=true to make this a failure).";
        }
    }
}
