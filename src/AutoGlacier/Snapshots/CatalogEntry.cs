using System.Text.Json.Serialization;

namespace AutoGlacier.Snapshots;

/// <summary>
/// One line of a catalog: an entry of the snapshot with its metadata, its SHA-256 and where its bytes are, or (with
/// <see cref="Removed"/>) the mark that a path of the base snapshot is gone. Catalog lines are sorted by
/// <see cref="Path"/> in ordinal order, so a chain of catalogs resolves by a streaming merge.
/// </summary>
internal sealed record CatalogEntry
{
    /// <summary>Absolute path on the machine that made the backup.</summary>
    public required string Path { get; init; }

    /// <summary>True on a removal mark: the path was in the base snapshot and is not in this one.</summary>
    public bool? Removed { get; init; }

    /// <summary>Entry kind.</summary>
    public EntryType Type { get; init; }

    /// <summary>Bytes of content (regular files).</summary>
    public long? Size { get; init; }

    /// <summary>Modification time, ns since the Unix epoch.</summary>
    public long? MtimeNs { get; init; }

    /// <summary>Status change time, ns since the Unix epoch (null when unknown).</summary>
    public long? CtimeNs { get; init; }

    /// <summary>Inode number (null when unknown).</summary>
    public ulong? Inode { get; init; }

    /// <summary>Device id (null when unknown).</summary>
    public ulong? Device { get; init; }

    /// <summary>Permission bits.</summary>
    public int? Mode { get; init; }

    /// <summary>Owner user id (null when unknown).</summary>
    public int? Uid { get; init; }

    /// <summary>Owner group id (null when unknown).</summary>
    public int? Gid { get; init; }

    /// <summary>Symlink target.</summary>
    public string? Link { get; init; }

    /// <summary>Lowercase hex SHA-256 of the content (regular files).</summary>
    public string? Sha256 { get; init; }

    /// <summary>The run whose archive holds the entry's tar header and bytes.</summary>
    public string? Run { get; init; }

    /// <summary>That run's archive id.</summary>
    public string? Archive { get; init; }

    /// <summary>Byte offset of the entry's first tar header (its pax header) in the archive's tar stream; null for runs written before catalogs.</summary>
    public long? Offset { get; init; }

    /// <summary>
    /// The tar entry name that holds the bytes, when it is not this entry's own (a file moved or copied within the
    /// tree is referenced where it was first stored); null otherwise. Where <see cref="Offset"/> is known it finds
    /// the tar header as well.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// Where the codec writes independently decodable blocks (lzma): the offset, in the archive's compressed stream,
    /// of the block the entry's first tar header is in. Null where the codec has no such blocks, inside the archive's
    /// own copy of the catalog (written before the blocks' places are known), and for catalogs finished by
    /// <c>resume</c> after a killed run.
    /// </summary>
    public long? Block { get; init; }

    /// <summary>The offset in the tar stream of that block's first decoded byte (so a reader of the block alone skips <see cref="Offset"/> − this).</summary>
    public long? BlockStart { get; init; }

    /// <summary>
    /// The archive id of entries a run stores itself, while its archive is being written (its id is not known until
    /// the vault has it). Only the copy of the catalog inside that archive keeps it: there it means "this archive".
    /// The local and vault copies name the id.
    /// </summary>
    public const string ThisArchive = "";

    /// <summary>True when this line is a removal mark.</summary>
    [JsonIgnore]
    public bool IsRemoval => Removed == true;

    /// <summary>Where the bytes are, or null for a removal mark or an entry without a location.</summary>
    [JsonIgnore]
    public ContentLocation? Location => IsRemoval || Run is null || Archive is null ? null
        : new ContentLocation(Run, Archive, Offset, Block, Sha256, Source ?? RestorePlanner.TarNameOf(this)) { BlockStart = BlockStart };

    /// <summary>The removal mark of <paramref name="path"/>.</summary>
    public static CatalogEntry RemovalOf(string path) => new() { Path = path, Removed = true };

    /// <summary>The catalog line for an entry as it is now, with its bytes at <paramref name="location"/>.</summary>
    public static CatalogEntry From(EntryFacts now, ContentLocation location) => new()
    {
        Path = now.Path,
        Type = now.Type,
        Size = now.Type == EntryType.File ? now.Size : null,
        MtimeNs = now.MtimeNs,
        CtimeNs = now.CtimeNs,
        Inode = now.Inode,
        Device = now.Device,
        Mode = now.Mode,
        Uid = now.Uid,
        Gid = now.Gid,
        Link = now.LinkTarget,
        Sha256 = location.Sha256,
        Run = location.Run,
        Archive = location.Archive,
        Offset = location.Offset,
        Block = location.Block,
        BlockStart = location.BlockStart,
        Source = location.Name is { } name && name != TarNameOf(now) ? name : null,
    };

    private static string TarNameOf(EntryFacts entry)
    {
        var name = Gathering.GatheredEntry.ToArchiveName(entry.Path);
        return entry.Type == EntryType.Directory ? name + "/" : name;
    }
}

/// <summary>Where an entry's bytes are: the run and archive, the tar offset, and its SHA-256.</summary>
/// <param name="Run">Run key.</param>
/// <param name="Archive">Archive id.</param>
/// <param name="Offset">Tar header offset in the archive's tar stream (null when not recorded).</param>
/// <param name="Block">Compressed block offset (null where the codec has no blocks or it was not recorded).</param>
/// <param name="Sha256">SHA-256 of the content (regular files).</param>
/// <param name="Name">The tar entry name holding the bytes, when known (null: found by <paramref name="Offset"/>).</param>
internal sealed record ContentLocation(string Run, string Archive, long? Offset, long? Block, string? Sha256, string? Name = null)
{
    /// <summary>The tar offset of <see cref="Block"/>'s first decoded byte (null with it).</summary>
    public long? BlockStart { get; init; }
}
