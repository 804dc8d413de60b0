using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AutoGlacier.Restore;
using AutoGlacier.Vaults.S3;

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

    /// <summary>What is wrong when <see cref="Selector"/> returns null.</summary>
    public const string SelectorError = "name exactly one of --run KEY, --latest, --archive ID.";

    /// <summary>Builds the run selector, or null when not exactly one of --run, --latest, --archive is given.</summary>
    public static RunSelector? Selector(ParseResult parsed, Option<string?> run, Option<bool> latest, Option<string?> archive)
    {
        var selector = new RunSelector { RunKey = parsed.GetValue(run), Latest = parsed.GetValue(latest), ArchiveId = parsed.GetValue(archive) };
        var chosen = (selector.RunKey is null ? 0 : 1) + (selector.Latest ? 1 : 0) + (selector.ArchiveId is null ? 0 : 1);
        return chosen == 1 ? selector : null;
    }

    /// <summary>Adds the cold-storage retrieval options (--no-wait, --tier, --days, --poll-interval, --max-wait) to a command.</summary>
    public static RetrievalOptionSet Retrieval(Command command) => new(command);

    /// <summary>The retrieval options of restore and verify; invalid values are parse errors (exit code 2).</summary>
    internal sealed class RetrievalOptionSet
    {
        private readonly Option<bool> _noWait = new("--no-wait")
        {
            Description = $"Do not wait for a cold-storage retrieval: record the request in the log and exit {ExitCodes.Pending}; run the same command again later",
        };

        private readonly Option<string?> _tier = new("--tier")
        {
            Description = $"Retrieval tier ({string.Join(", ", S3RetrievalTiers.All)}); overrides RETRIEVAL_TIER",
        };

        private readonly Option<int?> _days = new("--days") { Description = "S3: days the restored copy stays readable (1-365); overrides RESTORE_DAYS" };

        private readonly Option<TimeSpan?> _pollInterval = new("--poll-interval")
        {
            Description = "While waiting, check the retrieval this often (e.g. 30s, 15m, 1h). Default: 1m for Expedited, else 15m",
            CustomParser = Duration,
        };

        private readonly Option<TimeSpan?> _maxWait = new("--max-wait")
        {
            Description = $"Stop waiting after this long (e.g. 6h, 2d) and exit {ExitCodes.Pending}; the request stays recorded. Default: no limit",
            CustomParser = Duration,
        };

        public RetrievalOptionSet(Command command)
        {
            _tier.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } tier && S3RetrievalTiers.Normalize(tier) is null)
                {
                    result.AddError($"--tier \"{tier}\" is not a retrieval tier; allowed: {string.Join(", ", S3RetrievalTiers.All)}.");
                }
            });
            _days.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int?>() is { } days and (< 1 or > 365))
                {
                    result.AddError($"--days {days} is out of range; allowed: 1-365.");
                }
            });
            command.Options.Add(_noWait);
            command.Options.Add(_tier);
            command.Options.Add(_days);
            command.Options.Add(_pollInterval);
            command.Options.Add(_maxWait);
        }

        public RetrievalOptions Read(ParseResult parsed) => new()
        {
            Wait = !parsed.GetValue(_noWait),
            Tier = parsed.GetValue(_tier) is { } tier ? S3RetrievalTiers.Normalize(tier) : null,
            Days = parsed.GetValue(_days),
            PollInterval = parsed.GetValue(_pollInterval),
            MaxWait = parsed.GetValue(_maxWait),
        };

        /// <summary>A duration: a number with a unit, ms, s, m, h or d ("90s", "15m", "1.5h").</summary>
        internal static TimeSpan? Duration(ArgumentResult result)
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
            (string number, double unitMs) = text switch
            {
                _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1d),
                _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1_000d),
                _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60_000d),
                _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3_600_000d),
                _ when text.EndsWith('d') || text.EndsWith('D') => (text[..^1], 86_400_000d),
                _ => ("", 0d),
            };
            if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) && value * unitMs is var ms
                && ms >= 1 && ms <= TimeSpan.FromDays(3650).TotalMilliseconds)
            {
                return TimeSpan.FromMilliseconds(ms);
            }

            string name = result.Parent is OptionResult option ? option.Option.Name : "duration";
            result.AddError($"{name} \"{text}\" is not a duration; " +
                "allowed: a positive number with a unit, ms, s, m, h or d (e.g. 30s, 15m, 6h, 2d).");
            return null;
        }
    }
}
