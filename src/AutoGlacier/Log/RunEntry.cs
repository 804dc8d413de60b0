namespace AutoGlacier.Log;

/// <summary>
/// Where one run sits in the log file: the byte range of its value plus, for object values, the ranges of its
/// fields (so the record can be read without its possibly huge file list) and of its "files" array.
/// </summary>
internal sealed class RunEntry(string key)
{
    /// <summary>The run key as stored (unescaped).</summary>
    public string Key { get; } = key;

    /// <summary>The whole value, copied verbatim when another run is rewritten.</summary>
    public ByteRange Value { get; set; }

    /// <summary>True when the value is a JSON object (anything else is not an AutoGlacier run).</summary>
    public bool IsObject { get; set; }

    /// <summary>Each <c>"name": value</c> member except "files".</summary>
    public List<ByteRange> Fields { get; } = [];

    /// <summary>The "files" value, when present.</summary>
    public ByteRange? Files { get; set; }
}
