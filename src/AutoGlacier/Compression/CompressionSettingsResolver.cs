namespace AutoGlacier.Compression;

/// <summary>Turns <see cref="CompressionSettings"/> into concrete values, rejecting bad ones with the config key.</summary>
internal static class CompressionSettingsResolver
{
    /// <summary>The level, or <paramref name="defaultLevel"/> when unset.</summary>
    /// <exception cref="ConfigurationException">Outside <paramref name="min"/>–<paramref name="max"/>.</exception>
    public static int Level(CompressionSettings settings, string codec, int min, int max, int defaultLevel)
    {
        var level = settings.Level ?? defaultLevel;
        if (level < min || level > max)
        {
            throw new ConfigurationException(
                $"COMPRESSION_LEVEL={level} is not valid for COMPRESSION={codec}: use {min} to {max} (default {defaultLevel}).");
        }

        return level;
    }

    /// <summary>The worker count, or one per core when unset.</summary>
    /// <exception cref="ConfigurationException">Less than 1.</exception>
    public static int Threads(CompressionSettings settings)
    {
        var threads = settings.Threads ?? Environment.ProcessorCount;
        if (threads < 1)
        {
            throw new ConfigurationException(
                $"COMPRESSION_THREADS={threads} is not valid: use 1 or more (leave it unset for one per core, {Environment.ProcessorCount} here).");
        }

        return threads;
    }
}
