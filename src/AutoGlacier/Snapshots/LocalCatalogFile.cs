using AutoGlacier.Encryption;
using AutoGlacier.Streams;

namespace AutoGlacier.Snapshots;

/// <summary>
/// A run's local catalog beside the JSON log (<c>LOG.catalogs/RUNKEY.catalog.zst</c>): the backup host reads its
/// base from here, never from the vault, since it holds only public keys. Written under a hidden temporary name
/// and renamed when complete, so a dead run never leaves a file that looks like a finished catalog.
/// </summary>
internal sealed class LocalCatalogFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _partialPath;
    private bool _committed;

    private LocalCatalogFile(string finalPath, CatalogHeader header)
    {
        FinalPath = finalPath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(finalPath)!);
        _partialPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(finalPath)!, $".{header.Run}-{Guid.NewGuid():N}.partial");
        // Owner-only, like the log: it names every backed-up file.
        _stream = new FileStream(_partialPath, NewFileOptions.Create(FileAccess.Write, 1 << 16, NewFileOptions.Private));
        Writer = new CatalogWriter(_stream, header, leaveOpen: true);
    }

    /// <summary>The writer of the catalog's lines.</summary>
    public CatalogWriter Writer { get; }

    /// <summary>Where the catalog is once committed.</summary>
    public string FinalPath { get; }

    /// <summary>The directory of the local catalogs of the log at <paramref name="logPath"/>.</summary>
    public static string DirectoryFor(string logPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(logPath))!, System.IO.Path.GetFileName(logPath) + ".catalogs");

    /// <summary>The local catalog of <paramref name="runKey"/> for the log at <paramref name="logPath"/>.</summary>
    public static string PathFor(string logPath, string runKey) => System.IO.Path.Combine(DirectoryFor(logPath), runKey + ".catalog.zst");

    /// <summary>Starts the catalog of <paramref name="header"/>'s run beside the log at <paramref name="logPath"/>.</summary>
    public static LocalCatalogFile Create(string logPath, CatalogHeader header)
    {
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        ArgumentNullException.ThrowIfNull(header);
        return new LocalCatalogFile(PathFor(logPath, header.Run), header);
    }

    /// <summary>Completes the catalog, flushes it to disk and gives it its final name.</summary>
    /// <exception cref="IOException">A catalog of that run already exists (never overwritten) or the disk failed.</exception>
    public void Commit()
    {
        Writer.Complete();
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_partialPath, FinalPath, overwrite: false);
        _committed = true;
    }

    /// <summary>Writes the encrypted vault copy of the committed catalog at <paramref name="catalogPath"/> into <paramref name="output"/>, for <paramref name="recipients"/>.</summary>
    public static async Task EncryptAsync(string catalogPath, Stream output, IReadOnlyList<RecipientKey> recipients, CancellationToken cancellationToken)
    {
        var plain = new FileStream(catalogPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (plain.ConfigureAwait(false))
        {
            var encryptor = ArchiveEncryption.CreateEncryptor(output, recipients, leaveOpen: true);
            await using (encryptor.ConfigureAwait(false))
            {
                await plain.CopyToAsync(encryptor, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the file; an uncommitted catalog is deleted.</summary>
    public void Dispose()
    {
        Writer.Dispose();
        _stream.Dispose();
        if (!_committed) { File.Delete(_partialPath); }
    }
}
