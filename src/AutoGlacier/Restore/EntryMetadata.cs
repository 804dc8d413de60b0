using System.Formats.Tar;

namespace AutoGlacier.Restore;

/// <summary>
/// The mode and modification time a restored entry gets: its tar header's, or, for a snapshot, its catalog
/// entry's (a later snapshot may list an entry with newer metadata than the archive holding its bytes).
/// </summary>
/// <param name="Mode">Permission bits.</param>
/// <param name="ModifiedUtc">Modification time.</param>
internal readonly record struct EntryMetadata(UnixFileMode Mode, DateTime ModifiedUtc)
{
    /// <summary>The metadata the tar header carries.</summary>
    public static EntryMetadata Of(TarEntry entry) => new(entry.Mode, entry.ModificationTime.UtcDateTime);

    /// <summary>
    /// The catalog's metadata where it knows it, else the tar header's (mtime at the 100 ns resolution the file
    /// APIs take, as a tar header restore has).
    /// </summary>
    public static EntryMetadata Of(Snapshots.CatalogEntry catalog, TarEntry entry) => new(
        catalog.Mode is { } mode ? (UnixFileMode)mode : entry.Mode,
        catalog.MtimeNs is { } ns ? DateTime.UnixEpoch.AddTicks(ns / 100) : entry.ModificationTime.UtcDateTime);
}
