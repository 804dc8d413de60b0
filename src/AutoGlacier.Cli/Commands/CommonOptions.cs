using System.CommandLine;
using AutoGlacier.Restore;

namespace AutoGlacier.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config")
    {
        Description = "Configuration file (JSON, seed key names). Default: ~/.config/autoglacier/config.json",
    };

    public static Option<string?> Run() => new("--run") { Description = "Run key from the log (see 'autoglacier list')" };
    public static Option<bool> Latest() => new("--latest") { Description = "The newest run that stored an archive" };
    public static Option<string?> Archive() => new("--archive") { Description = "Archive id in the vault (works without a log entry)" };

    /// <summary>Builds the run selector, or null after printing why the choice is wrong.</summary>
    public static RunSelector? Selector(ParseResult parsed, Option<string?> run, Option<bool> latest, Option<string?> archive, TextWriter error)
    {
        var selector = new RunSelector { RunKey = parsed.GetValue(run), Latest = parsed.GetValue(latest), ArchiveId = parsed.GetValue(archive) };
        var chosen = (selector.RunKey is null ? 0 : 1) + (selector.Latest ? 1 : 0) + (selector.ArchiveId is null ? 0 : 1);
        if (chosen == 1) { return selector; }
        error.WriteLine("error: name exactly one of --run KEY, --latest, --archive ID.");
        return null;
    }
}
