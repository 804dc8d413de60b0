namespace AutoGlacier.Configuration;

/// <summary>
/// Loads <see cref="GteuConfig"/> from JSON using the Python seed's key names (COMPRESSION, TMP_DIR, JSON_DATABASE,
/// RSA_PASSPHRASE, PUBL_RSA_KEY_PATH, REGION_NAME, VAULT_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) plus
/// AutoGlacier's own keys in the same style. Unknown keys and bad values are errors naming the key.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates a configuration file.</summary>
    /// <exception cref="ConfigurationException">The file is missing, not JSON, has an unknown key or a bad value.</exception>
    public static GteuConfig LoadFile(string path) => throw new NotImplementedException();

    /// <summary>Parses and validates configuration JSON text. <paramref name="sourceName"/> names it in errors.</summary>
    public static GteuConfig Parse(string json, string sourceName) => throw new NotImplementedException();

    /// <summary>Validates a configuration built in code (same rules as for files).</summary>
    public static void Validate(GteuConfig config) => throw new NotImplementedException();
}
