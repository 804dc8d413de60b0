using System.Text.Json.Nodes;

namespace AutoGlacier.Tests.Support;

/// <summary>Writes a variant of a world's config file with some keys added or replaced.</summary>
internal static class ConfigFile
{
    public static string With(BackupWorld world, string name, params (string Key, JsonNode? Value)[] keys)
    {
        var config = JsonNode.Parse(File.ReadAllText(world.ConfigPath))!.AsObject();
        foreach (var (key, value) in keys) { config[key] = value; }
        string path = Path.Combine(world.Root, name);
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
