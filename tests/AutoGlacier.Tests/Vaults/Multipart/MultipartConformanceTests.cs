using AutoGlacier.Tests.Support;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;
using Microsoft.Extensions.Logging.Abstractions;
using static AutoGlacier.Tests.Vaults.Multipart.MultipartTestData;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// The behaviour every multipart backend must have, written once (after restic's backend suite): the spooled upload
/// (the spool's life, the journal, failures that leave a run resumable) and <see cref="UploadResumer"/> (parts the
/// server holds are reused only when they match the spool, a gone upload becomes a new one, a damaged spool completes
/// nothing). A backend joins by naming its <see cref="MultipartServer"/>; the server's knobs state where backends
/// really differ. Sizes are in parts of the backend's smallest part size (<c>P</c>).
/// </summary>
public abstract partial class MultipartConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly TempDir _dir = new();
    private MultipartServer? _server;
    private IMultipartVault? _vault;

    private MultipartServer Server => _server ?? throw new InvalidOperationException("The server is started in InitializeAsync.");

    private IMultipartVault Vault => _vault ?? throw new InvalidOperationException("The vault is created in InitializeAsync.");

    private IMultipartBackend Backend => Vault.Multipart;

    /// <summary>The backend's part size (every part but the last is this long).</summary>
    private int P => Server.PartSize;

    /// <summary>Three whole parts and a short fourth.</summary>
    private int FourParts => (3 * P) + 12345;

    private string SpoolDirectory => _dir.Combine("spool");

    /// <summary>Starts the backend's server for one test.</summary>
    private protected abstract Task<MultipartServer> StartServerAsync();

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
        _vault = _server.CreateVault();
        Assert.Equal(P, Backend.PartSize);
    }

    public async Task DisposeAsync()
    {
        await DisposeVaultAsync(_vault);
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dir.Dispose();
    }

    private static async Task DisposeVaultAsync(IVault? vault)
    {
        if (vault is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Parts a resume sends when <paramref name="missing"/> of <paramref name="all"/> are missing or wrong: all of them when the server cannot list parts.</summary>
    private int Resent(int missing, int all) => Server.ListsParts ? missing : all;

    /// <summary>A spool holding <paramref name="data"/> for a new run, as a sealed archive leaves it.</summary>
    private (ArchiveUploadInfo Info, string SpoolPath) Spool(byte[] data, IUploadJournal? journal = null)
    {
        ArchiveUploadInfo info = Info(journal);
        string path = ArchiveSpool.PathFor(SpoolDirectory, info.RunKey);
        Directory.CreateDirectory(SpoolDirectory);
        File.WriteAllBytes(path, data);
        return (info, path);
    }

    private ArchiveUploadInfo Info(IUploadJournal? journal = null) =>
        new(NewRunKey(), "multipart suite") { SpoolDirectory = SpoolDirectory, Journal = journal };

    /// <summary>Part <paramref name="index"/> of <paramref name="data"/> at the backend's part size.</summary>
    private ReadOnlyMemory<byte> Part(byte[] data, int index) => data.AsMemory(index * P, Math.Min(P, data.Length - (index * P)));

    /// <summary>Initiates an upload and sends <paramref name="parts"/> as parts 0, 1, … (as an interrupted run left them).</summary>
    private async Task<MultipartTicket> BegunUploadAsync(ArchiveUploadInfo info, params ReadOnlyMemory<byte>[] parts)
    {
        MultipartTicket ticket = await Backend.InitiateAsync(Backend.NewTarget(info), info, CancellationToken.None);
        for (int index = 0; index < parts.Length; index++)
        {
            await Backend.UploadPartAsync(ticket, index, parts[index], CancellationToken.None);
        }

        return ticket;
    }

    /// <summary>An upload the server never knew (or forgot), for <paramref name="info"/>'s target.</summary>
    private MultipartTicket GoneTicket(ArchiveUploadInfo info) => new("unknownUpload" + Guid.NewGuid().ToString("N"), Backend.NewTarget(info), P);

    private UploadResumer Resumer(ArchiveUploadInfo info) => new(Backend, info, NullLogger.Instance);

    /// <summary>Resumes from <paramref name="spool"/> (holding <paramref name="data"/>) and says which requests that took.</summary>
    private async Task<(StoredArchive Stored, RequestCounts Delta)> ResumeCountedAsync(ArchiveUploadInfo info, string spool, MultipartTicket? ticket, byte[] data,
        string? completingTarget = null)
    {
        RequestCounts before = Server.Count();
        StoredArchive stored = await Resumer(info).ResumeAsync(spool, ticket, Sha256Hex(data), completingTarget, CancellationToken.None);
        return (stored, Server.Count() - before);
    }

    /// <summary>Stores <paramref name="data"/> through the vault's spooled upload, in writes of <paramref name="chunk"/> bytes.</summary>
    private async Task<StoredArchive> StoreAsync(ArchiveUploadInfo info, byte[] data, int? chunk = null)
    {
        await using IArchiveUpload upload = await Vault.BeginUploadAsync(info, CancellationToken.None);
        for (int offset = 0; offset < data.Length;)
        {
            int count = Math.Min(chunk ?? data.Length, data.Length - offset);
            await upload.Content.WriteAsync(data.AsMemory(offset, count));
            offset += count;
        }

        return await upload.CompleteAsync(CancellationToken.None);
    }

    /// <summary>Reads an archive back through the vault (both servers make it readable at once).</summary>
    private Task<byte[]> ReadAsync(string archiveId) => MultipartTestData.ReadAsync(Vault, archiveId);
}
