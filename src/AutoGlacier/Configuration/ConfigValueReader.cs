using System.Text.Json;

namespace AutoGlacier.Configuration;

/// <summary>
/// Converts JSON values to typed settings, recording a message naming the key, the value (never for secrets) and
/// what is allowed whenever the JSON type is wrong. JSON null means "use the default" and yields null.
/// </summary>
internal sealed class ConfigValueReader(string baseDirectory)
{
    private const int MaxShownValue = 60;

    /// <summary>Problems found so far, one message each.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>A string value; empty strings are rejected.</summary>
    public string? String(string key, JsonElement value, string allowed)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String when value.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text):
                return text;
            case JsonValueKind.String:
                Errors.Add($"{key} is an empty string; allowed: {allowed} (or null for the default).");
                return null;
            default:
                return WrongType<string>(key, value, "a string: " + allowed);
        }
    }

    /// <summary>A whole number.</summary>
    public int? Integer(string key, JsonElement value, string allowed)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : WrongType<int?>(key, value, "a whole number, " + allowed);
    }

    /// <summary>true or false.</summary>
    public bool? Boolean(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => WrongType<bool?>(key, value, "true or false"),
    };

    /// <summary>A path, with "~/" expanded and made absolute against the configuration file's directory.</summary>
    public string? Path(string key, JsonElement value)
    {
        string? text = String(key, value, "a file system path");
        return text is null ? null : ResolvePath(key, text);
    }

    /// <summary>One path or an array of paths (several recipients).</summary>
    public IReadOnlyList<string>? PathList(string key, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Path(key, value) is { } single ? [single] : null;
        }

        if (value.GetArrayLength() == 0)
        {
            Errors.Add($"{key} is an empty array; allowed: a path or a non-empty array of paths (or null).");
            return null;
        }

        var paths = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Null)
            {
                Errors.Add($"{key} contains null; allowed: an array of path strings.");
            }
            else if (Path(key, item) is { } path)
            {
                paths.Add(path);
            }
        }

        return paths;
    }

    /// <summary>How a value is shown in messages: never for secrets, shortened otherwise.</summary>
    public static string Show(string key, JsonElement value)
    {
        if (ConfigKeys.IsSecret(key))
        {
            return "(value hidden)";
        }

        string raw = value.GetRawText();
        return raw.Length <= MaxShownValue ? raw : raw[..MaxShownValue] + "…";
    }

    private string? ResolvePath(string key, string text)
    {
        try
        {
            return ConfigPaths.Resolve(text, baseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Errors.Add($"{key} = \"{text}\" is not a valid path ({ex.Message}).");
            return null;
        }
    }

    private T? WrongType<T>(string key, JsonElement value, string expected)
    {
        Errors.Add($"{key} = {Show(key, value)} has the wrong type ({value.ValueKind}); allowed: {expected}.");
        return default;
    }
}
