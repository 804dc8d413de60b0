using Microsoft.Extensions.Logging;

namespace AutoGlacier.Compression.Lzma;

/// <summary>Which implementation the lzma codec runs on.</summary>
internal enum LzmaEngine
{
    /// <summary>liblzma through P/Invoke: parallel .xz output, threaded decoding.</summary>
    Native,

    /// <summary>SharpCompress's managed LZMA encoder, framed as .lz (lzip) members; reads .xz and .lz.</summary>
    Managed,
}

/// <summary>
/// Chooses the lzma engine once per process: liblzma when it loads, else the managed fallback (logged once, as a
/// warning). <c>AUTOGLACIER_LZMA=managed</c> forces the fallback (tests, or a broken liblzma); <c>native</c> insists on
/// liblzma and fails with the install hint when it is missing.
/// </summary>
internal static class LzmaEngineSelector
{
    /// <summary>The environment variable that overrides the automatic choice.</summary>
    public const string EnvironmentVariable = "AUTOGLACIER_LZMA";

    private static readonly Lazy<LzmaEngine> Chosen = new(() => ChooseAndLog(
        Environment.GetEnvironmentVariable(EnvironmentVariable), () => LzmaLibrary.IsAvailable,
        DefaultLogging.Console.CreateLogger("AutoGlacier.Compression.Lzma")));

    /// <summary>The engine of this process (decided on first use).</summary>
    public static LzmaEngine Current => Chosen.Value;

    /// <summary>The decision itself, separated from the process-wide state so it can be tested.</summary>
    /// <exception cref="ConfigurationException">An unknown value, or <c>native</c> without liblzma.</exception>
    public static LzmaEngine Choose(string? setting, Func<bool> nativeAvailable) =>
        setting?.Trim().ToUpperInvariant() switch
        {
            null or "" or "AUTO" => nativeAvailable() ? LzmaEngine.Native : LzmaEngine.Managed,
            "MANAGED" => LzmaEngine.Managed,
            "NATIVE" => nativeAvailable() ? LzmaEngine.Native : throw new ConfigurationException(
                $"{EnvironmentVariable}=native, but liblzma could not be loaded (Debian/Ubuntu: apt-get install liblzma5; "
                + "macOS: brew install xz); unset it to use the slower managed lzma."),
            _ => throw new ConfigurationException(
                $"{EnvironmentVariable}={setting} is not valid: use auto, native or managed."),
        };

    private static LzmaEngine ChooseAndLog(string? setting, Func<bool> nativeAvailable, ILogger logger)
    {
        var engine = Choose(setting, nativeAvailable);
        if (engine == LzmaEngine.Managed)
        {
            var why = string.IsNullOrWhiteSpace(setting) || setting.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)
                ? "liblzma could not be loaded" : $"{EnvironmentVariable}={setting}";
            logger.LogWarning(
                "lzma runs on the managed fallback ({Why}): backups are written as .lz (lzip, `xz -d` reads it), "
                + "several times slower than with liblzma.", why);
        }

        return engine;
    }
}
