using AutoGlacier.Snapshots;

namespace AutoGlacier.Tests.Support;

/// <summary>Turns a snapshot run into one as logged before snapshots existed: no snapshot in its record, no local catalog.</summary>
internal static class LegacyRun
{
    public static void Make(string logPath, string runKey)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(logPath))!.AsObject();
        root[runKey]!.AsObject().Remove("snapshot");
        File.WriteAllText(logPath, root.ToJsonString());
        File.Delete(LocalCatalogFile.PathFor(logPath, runKey));
    }
}
