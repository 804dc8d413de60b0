using System.CommandLine;
using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Commands.Migration;

/// <summary><c>--seed-format</c> of restore and verify: the archive named by --archive is the Python seed's.</summary>
internal static class SeedFormatOption
{
    public static Option<bool> Create() => new("--seed-format")
    {
        Description = "With --archive: the archive was made by the Python tool (AES-EAX, RSA-OAEP-SHA1). Seed runs in the log are recognised without it",
    };

    /// <summary>The selector with the option applied.</summary>
    public static RunSelector Apply(RunSelector selector, ParseResult parsed, Option<bool> option) =>
        selector with { SeedFormat = parsed.GetValue(option) };
}
