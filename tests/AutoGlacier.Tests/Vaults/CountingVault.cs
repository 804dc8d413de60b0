using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Local;

namespace AutoGlacier.Tests.Vaults;

/// <summary>A backend of a library user's own: a local vault under another name that counts what it is asked.</summary>
internal sealed class CountingVault(LocalVault inner) : IVault
{
    public const string Name = "counting";

    public int Uploads { get; private set; }
    public int Retrievals { get; private set; }
    public int Reads { get; private set; }
    public List<string> ReadArchiveIds { get; } = [];

    public string BackendName => Name;
    public string Location => "counting:" + inner.Location;
    public VaultCapabilities Capabilities { get; } = new() { StorageName = "counting vault" };

    public Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken)
    {
        Uploads++;
        return inner.BeginUploadAsync(info, cancellationToken);
    }

    public Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken)
    {
        Retrievals++;
        return inner.RequestRetrievalAsync(archiveId, request, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken)
    {
        Reads++;
        ReadArchiveIds.Add(archiveId);
        return inner.OpenReadAsync(archiveId, offset, cancellationToken);
    }

    public IAsyncEnumerable<VaultArchive> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task DeleteAsync(string archiveId, CancellationToken cancellationToken) => inner.DeleteAsync(archiveId, cancellationToken);
}
