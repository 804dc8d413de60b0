namespace AutoGlacier.Vaults.Local;

/// <summary>
/// A vault in a local directory (the default backend). Writes are atomic (temp file, fsync, rename); ids are never
/// reused; archives are always ready to read.
/// </summary>
public sealed class LocalVault : IVault
{
    /// <summary>Opens (creating if needed) a local vault in <paramref name="directory"/>.</summary>
    public LocalVault(string directory) => throw new NotImplementedException();

    /// <inheritdoc />
    public string BackendName => "local";
    /// <inheritdoc />
    public string Location => throw new NotImplementedException();
    /// <inheritdoc />
    public Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public IAsyncEnumerable<VaultArchive> ListAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
    /// <inheritdoc />
    public Task DeleteAsync(string archiveId, CancellationToken cancellationToken) => throw new NotImplementedException();
}
