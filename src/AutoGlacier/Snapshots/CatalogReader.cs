using System.Text.Json;
using AutoGlacier.Compression.Zstd;
using AutoGlacier.Encryption;
using AutoGlacier.Log;

namespace AutoGlacier.Snapshots;

/// <summary>
/// Reads a catalog written by <see cref="CatalogWriter"/>, plain (the local copy) or encrypted (the vault copy),
/// streaming its entries and checking their order and the trailer, so a damaged or cut catalog never passes as a
/// complete listing.
/// </summary>
internal sealed class CatalogReader : IDisposable
{
    private readonly Stream _decompressor;
    private readonly IEnumerator<ReadOnlyMemory<byte>> _lines;
    private readonly string _source;
    private bool _read;

    private CatalogReader(Stream compressed, bool leaveOpen, string source)
    {
        _source = source;
        _decompressor = new ZstdCodec(CatalogWriter.CompressionLevel, threads: 1).CreateDecompressor(compressed, leaveOpen);
        _lines = NdjsonLines.Read(_decompressor).GetEnumerator();
        Header = ReadHeader();
    }

    /// <summary>The catalog's header line.</summary>
    public CatalogHeader Header { get; }

    /// <summary>Opens a plain (compressed, not encrypted) catalog; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="CatalogException">Not a catalog, or a version this build cannot read.</exception>
    public static CatalogReader Open(Stream compressed, string source, bool leaveOpen = false) => new(compressed, leaveOpen, source);

    /// <summary>Opens the encrypted vault copy of a catalog with a recipient's private key.</summary>
    /// <exception cref="ArchiveIntegrityException">The catalog was tampered with or cut short.</exception>
    /// <exception cref="WrongKeyException">The key is not one of its recipients.</exception>
    public static CatalogReader OpenEncrypted(Stream encrypted, PrivateKey key, string source, bool leaveOpen = false) =>
        new(ArchiveEncryption.CreateDecryptor(encrypted, key, leaveOpen), leaveOpen: false, source);

    /// <summary>Opens a local catalog file.</summary>
    public static CatalogReader OpenFile(string path) =>
        Open(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path);

    /// <summary>The entries in path order, removal marks included. Can be enumerated once.</summary>
    /// <exception cref="CatalogException">Out-of-order lines, a bad line, or a missing or wrong trailer.</exception>
    public IEnumerable<CatalogEntry> Entries()
    {
        if (_read) { throw new InvalidOperationException("A catalog's entries can be read once; open it again to re-read."); }
        _read = true;
        return ReadEntries();
    }

    private IEnumerable<CatalogEntry> ReadEntries()
    {
        string? last = null;
        long count = 0, removed = 0;
        while (NextLine() is { } line)
        {
            if (line.Span.StartsWith("{\"end\":"u8))
            {
                CheckTrailer(Parse(line, SnapshotJsonContext.Default.CatalogTrailer), count, removed);
                yield break;
            }
            var entry = Parse(line, SnapshotJsonContext.Default.CatalogEntry);
            if (last is not null && string.CompareOrdinal(last, entry.Path) >= 0)
            {
                throw Damaged($"entries are out of order ('{entry.Path}' after '{last}')");
            }
            (last, count, removed) = (entry.Path, count + 1, removed + (entry.IsRemoval ? 1 : 0));
            yield return entry;
        }
        throw Damaged("it ends before its trailer line (cut short)");
    }

    private void CheckTrailer(CatalogTrailer trailer, long count, long removed)
    {
        if (trailer.Entries != count || trailer.Removed != removed)
        {
            throw Damaged($"its trailer counts {trailer.Entries} entries ({trailer.Removed} removed) but {count} ({removed}) were read");
        }
        if (NextLine() is not null) { throw Damaged("it has lines after its trailer"); }
    }

    private CatalogHeader ReadHeader()
    {
        var line = NextLine() ?? throw Damaged("it is empty");
        CatalogHeader header;
        try
        {
            header = Parse(line, SnapshotJsonContext.Default.CatalogHeader);
        }
        catch (CatalogException)
        {
            throw Damaged("its first line is not a catalog header");
        }
        if (header.Format != CatalogHeader.FormatName) { throw Damaged("its first line is not a catalog header"); }
        if (header.Version != CatalogHeader.CurrentVersion)
        {
            throw new CatalogException($"The catalog {_source} has format version {header.Version}; this build reads version {CatalogHeader.CurrentVersion}: use a newer AutoGlacier.");
        }
        return header;
    }

    // The cast matters: "? Current : null" would turn null into an empty slice through the array conversion.
    private ReadOnlyMemory<byte>? NextLine() => _lines.MoveNext() ? (ReadOnlyMemory<byte>?)_lines.Current : null;

    private T Parse<T>(ReadOnlyMemory<byte> line, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(line.Span, type) ?? throw Damaged("it holds a null line");
        }
        catch (JsonException ex)
        {
            throw Damaged($"a line is not valid JSON ({ex.Message})");
        }
    }

    private CatalogException Damaged(string what) =>
        new($"The catalog {_source} is damaged: {what}. Use the vault's copy of the catalog (autoglacier recover) or the archive's manifest.");

    /// <inheritdoc />
    public void Dispose()
    {
        _lines.Dispose();
        _decompressor.Dispose();
    }
}

/// <summary>A catalog cannot be read: damaged, cut short, or of an unknown version. The message says which and what to do.</summary>
internal sealed class CatalogException : AutoGlacierException
{
    /// <summary>Creates the error with a user-facing message.</summary>
    public CatalogException(string message) : base(message) { }

    /// <summary>Creates the error with a user-facing message and its cause.</summary>
    public CatalogException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the error with no message (prefer the other constructors).</summary>
    public CatalogException() { }
}
