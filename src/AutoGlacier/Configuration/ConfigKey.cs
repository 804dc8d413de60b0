using System.Text.Json;

namespace AutoGlacier.Configuration;

/// <summary>
/// One configuration key: how its JSON value is read into a <see cref="GteuConfig"/> (problems go to the reader), and
/// how it shows in the configuration summary stored in the log.
/// </summary>
/// <param name="Name">The key, e.g. S3_BUCKET.</param>
/// <param name="Read">Applies the key's value to the configuration.</param>
/// <param name="Summary">
/// The key's value as the log's summary shows it, never a secret; null (or a null result) leaves the key out, so a new
/// backend's keys change the summary of no configuration that does not set them.
/// </param>
internal sealed record ConfigKey(string Name, ConfigKey.Setter Read, Func<GteuConfig, string?>? Summary = null)
{
    /// <summary>Returns <paramref name="config"/> with the key's <paramref name="value"/> applied.</summary>
    public delegate GteuConfig Setter(GteuConfig config, JsonElement value, ConfigValueReader read);
}
