using System.Runtime.CompilerServices;
using AutoGlacier.Hashing;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// Glacier's multipart operations for the shared upload engines: UploadArchive for one-part archives, tree-hashed
/// parts (SHA-256 and tree hash in one pass), ListParts by marker, and the archive tree hash combined from the part
/// tree hashes, so no byte is read twice.
/// </summary>
internal sealed class GlacierMultipartBackend(GlacierClient client, Action onStored) : IMultipartBackend
{
    private GlacierSettings Settings => client.Settings;

    public long PartSize => Settings.PartSize;

    public int Concurrency => Settings.UploadConcurrency;

    public string NewTarget(ArchiveUploadInfo info) => Settings.VaultName;

    public void CheckLimits(int index, long endOffset)
    {
        if (index >= Settings.MaxParts)
        {
            throw PartLimitExceededException.For(Settings);
        }
    }

    public async Task<StoredArchive> PutWholeAsync(string target, ArchiveUploadInfo info, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Glacier stores at least one byte: an empty archive is one placeholder byte, flagged in the description.
        bool empty = data.IsEmpty;
        ReadOnlyMemory<byte> body = empty ? new byte[1] : data;
        PartHashes hashes = PartHashes.Compute(body.Span);
        (string id, string location) = await client.UploadArchiveAsync(body, hashes, Description(info, empty), cancellationToken).ConfigureAwait(false);
        onStored();
        return new StoredArchive(id, data.Length, location);
    }

    public async Task<MultipartTicket> InitiateAsync(string target, ArchiveUploadInfo info, CancellationToken cancellationToken)
    {
        string uploadId = await client.InitiateMultipartUploadAsync(PartSize, Description(info, empty: false), cancellationToken).ConfigureAwait(false);
        return new MultipartTicket(uploadId, target, PartSize);
    }

    public async Task<UploadedPart> UploadPartAsync(MultipartTicket ticket, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        long start = index * ticket.PartSize;
        var call = new GlacierCall("UploadMultipartPart", $"part {index + 1} (bytes {start}-{start + data.Length - 1}) of upload {ticket.UploadId}");
        PartHashes hashes = PartHashes.Compute(data.Span);
        await client.UploadPartAsync(ticket.UploadId, start, data, hashes, call, cancellationToken).ConfigureAwait(false);
        return new UploadedPart(index, data.Length, hashes.TreeHashHex);
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartTicket ticket, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            List<(long Start, long End, string TreeHash)> page;
            try
            {
                (page, marker) = await client.ListPartsAsync(ticket.UploadId, marker, cancellationToken).ConfigureAwait(false);
            }
            catch (GlacierServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
            {
                throw new UploadGoneException($"Glacier no longer has upload {ticket.UploadId} in vault '{Settings.VaultName}' " +
                    "(aborted, or dropped after about 24 hours without activity)", ex);
            }

            foreach (var (start, end, treeHash) in page)
            {
                yield return new UploadedPart((int)(start / ticket.PartSize), end - start + 1, treeHash);
            }
        }
        while (marker is not null);
    }

    public bool Holds(UploadedPart listed, ReadOnlySpan<byte> data) =>
        string.Equals(listed.Checksum, PartHashes.Compute(data).TreeHashHex, StringComparison.OrdinalIgnoreCase);

    public async Task<StoredArchive> CompleteAsync(MultipartTicket ticket, IReadOnlyList<UploadedPart> parts, long size, CancellationToken cancellationToken)
    {
        byte[][] partHashes = parts.Select(p => Convert.FromHexString(p.Checksum!)).ToArray();
        string treeHash = Convert.ToHexStringLower(TreeHash.Combine(partHashes, ticket.PartSize, size));
        (string id, string location) = await client.CompleteMultipartUploadAsync(ticket.UploadId, size, treeHash, cancellationToken).ConfigureAwait(false);
        onStored();
        return new StoredArchive(id, size, location);
    }

    /// <summary>Glacier cannot say without an inventory job (hours): null.</summary>
    public Task<StoredArchive?> FindStoredAsync(string target, ArchiveUploadInfo info, long size, CancellationToken cancellationToken) =>
        Task.FromResult<StoredArchive?>(null);

    public async Task AbortAsync(MultipartTicket ticket, CancellationToken cancellationToken) =>
        await client.AbortMultipartUploadAsync(ticket.UploadId, cancellationToken).ConfigureAwait(false);

    private static string Description(ArchiveUploadInfo info, bool empty) => ArchiveDescriptionCodec.Encode(info.RunKey, info.Description, empty, info.Kind);
}
