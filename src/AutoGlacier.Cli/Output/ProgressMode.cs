namespace AutoGlacier.Cli.Output;

/// <summary>How progress is shown: decided once per command from the terminal, --quiet and --json.</summary>
internal enum ProgressMode
{
    /// <summary>--quiet: no progress.</summary>
    None,
    /// <summary>stderr is a terminal: status lines redrawn in place.</summary>
    Live,
    /// <summary>Not a terminal (cron, systemd, CI): a plain line at most every --progress-interval.</summary>
    Lines,
    /// <summary>--json and not a terminal: a JSON object per line on stderr at most every --progress-interval.</summary>
    JsonLines,
}
