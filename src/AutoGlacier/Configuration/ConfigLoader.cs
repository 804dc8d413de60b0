using System.Text.Json;

namespace AutoGlacier.Configuration;

/// <summary>
/// Loads <see cref="GteuConfig"/> from JSON using the Python seed's key names (COMPRESSION, TMP_DIR, JSON_DATABASE,
/// RSA_PASSPHRASE, PUBL_RSA_KEY_PATH, REGION_NAME, VAULT_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) plus
/// AutoGlacier's own keys in the same style. Unknown keys and bad values are errors naming the key.
/// </summary>
/// <remarks>
/// Pure parsing: nothing but the configuration file is read. Paths: a leading "~/" is the home directory and relative
/// paths are relative to the configuration file's directory. Null means "use the default". Messages never contain
/// the values of RSA_PASSPHRASE or AWS_SECRET_ACCESS_KEY.
/// </remarks>
public static class ConfigLoader
{
    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        // Comments are a common way to annotate a config; accepting them costs nothing and breaks no seed file.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates a configuration file.</summary>
    /// <exception cref="ConfigurationException">The file is missing, not JSON, has an unknown key or a bad value.</exception>
    public static GteuConfig LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(ConfigPaths.ExpandHome(path));
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationException(
                $"The configuration file '{fullPath}' does not exist. Create it (the default location is " +
                $"'{DefaultPaths.ConfigFile}') or pass the path of an existing file.");
        }

        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"The configuration file '{fullPath}' cannot be read: {ex.Message}", ex);
        }

        return Parse(json, fullPath, Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>
    /// Parses and validates configuration JSON text. <paramref name="sourceName"/> names it in errors; relative paths
    /// are resolved against the current directory.
    /// </summary>
    /// <exception cref="ConfigurationException">The text is not JSON, has an unknown key or a bad value.</exception>
    public static GteuConfig Parse(string json, string sourceName) =>
        Parse(json, sourceName, Environment.CurrentDirectory);

    /// <summary>Like <see cref="Parse(string, string)"/>, resolving relative paths against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="ConfigurationException">The text is not JSON, has an unknown key or a bad value.</exception>
    public static GteuConfig Parse(string json, string sourceName, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = ParseJson(json, sourceName);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigurationException(
                $"The configuration '{sourceName}' must be a JSON object ({{ \"KEY\": value, … }}), not {document.RootElement.ValueKind}.");
        }

        var read = new ConfigValueReader(baseDirectory);
        GteuConfig config = ConfigParser.Apply(document.RootElement, read);
        ThrowIfAny(sourceName, read.Errors.Concat(ConfigRules.Check(config)));
        return config;
    }

    /// <summary>Validates a configuration built in code (same rules as for files).</summary>
    /// <exception cref="ConfigurationException">A value breaks a rule.</exception>
    public static void Validate(GteuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ThrowIfAny("configuration built in code", ConfigRules.Check(config));
    }

    private static JsonDocument ParseJson(string json, string sourceName)
    {
        try
        {
            return JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException ex)
        {
            // The parser's own message can quote a character of the offending value, which may be a secret.
            throw new ConfigurationException(
                $"The configuration '{sourceName}' is not valid JSON: error at line {(ex.LineNumber ?? 0) + 1}, " +
                $"position {(ex.BytePositionInLine ?? 0) + 1}. Check for missing commas or quotes, unescaped backslashes, " +
                "or Python syntax (None, True, False, single quotes): the file must be JSON (null, true, false, \"…\").");
        }
    }

    private static void ThrowIfAny(string sourceName, IEnumerable<string> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw new ConfigurationException(
                $"Invalid configuration '{sourceName}':{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", list));
        }
    }
}
