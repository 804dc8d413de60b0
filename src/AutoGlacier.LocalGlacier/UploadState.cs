namespace AutoGlacier.LocalGlacier;

/// <summary>Paths of one multipart upload's directory: upload.json, one START.part + START.json per part, completed.json.</summary>
internal sealed class UploadState(string directory)
{
    public string Directory { get; } = directory;

    public string MetaFile => Path.Combine(Directory, "upload.json");

    public string CompletedFile => Path.Combine(Directory, "completed.json");

    public string PartData(long start) => Path.Combine(Directory, start.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".part");

    public string PartMeta(long start) => Path.ChangeExtension(PartData(start), ".json");

    public async Task<List<PartRecord>> ReadPartsAsync(CancellationToken cancellationToken)
    {
        var parts = new List<PartRecord>();
        foreach (string file in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            if (file != MetaFile && file != CompletedFile && await JsonFiles.ReadAsync<PartRecord>(file, cancellationToken) is { } part)
            {
                parts.Add(part);
            }
        }

        return parts;
    }
}
