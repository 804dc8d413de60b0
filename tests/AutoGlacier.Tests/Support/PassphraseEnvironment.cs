namespace AutoGlacier.Tests.Support;

/// <summary>
/// Tests that set AUTOGLACIER_PASSPHRASE (process-wide) run alone: another test changing it meanwhile would make a
/// key unreadable or a hook see the wrong value.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PassphraseEnvironment
{
    public const string Name = "AUTOGLACIER_PASSPHRASE environment";
}
