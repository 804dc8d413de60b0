using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>UploadArchive and DeleteArchive.</summary>
internal sealed class ArchiveOperations(StoreLayout layout)
{
    /// <summary>Glacier's single-request limit: 4 GiB.</summary>
    private const long MaxSingleUpload = 4L << 30;

    public async Task UploadAsync(HttpContext context, string vault, bool dropConnection)
    {
        layout.RequireVault(vault);
        string description = ArchiveDescriptions.Read(context.Request);
        if (context.Request.ContentLength is null or < 1 or > MaxSingleUpload)
        {
            throw GlacierException.InvalidParameter("Invalid Content-Length: an archive uploaded in one request holds 1 byte to 4 GiB.");
        }

        using ReceivedBody body = await ReceivedBody.ReceiveAsync(context, layout.Incoming, dropConnection);
        body.CheckAgainst(context.Request);
        string id = await StoreAsync(vault, body.Path, description, body.Size, body.TreeHash, context.RequestAborted);
        WriteCreated(context, vault, id, body.TreeHash);
    }

    public async Task DeleteAsync(HttpContext context, string vault, string archiveId)
    {
        await layout.MetadataLock.WaitAsync(context.RequestAborted);
        try
        {
            layout.RequireVault(vault);
            string meta = layout.ArchiveMeta(vault, archiveId);
            if (!File.Exists(meta))
            {
                throw GlacierException.NotFound($"Archive not found: {archiveId}");
            }

            File.Delete(meta);
            File.Delete(layout.ArchiveData(vault, archiveId));
        }
        finally
        {
            layout.MetadataLock.Release();
        }

        GlacierResponses.Empty(context, 204);
    }

    /// <summary>Moves a complete data file into the vault under a new archive id.</summary>
    public async Task<string> StoreAsync(string vault, string dataFile, string description, long size, string treeHash, CancellationToken cancellationToken)
    {
        string id = GlacierIds.New(138);
        File.Move(dataFile, layout.ArchiveData(vault, id));

        // The metadata file is written last: an archive exists once its .json does.
        await JsonFiles.WriteAsync(layout.ArchiveMeta(vault, id), new ArchiveRecord(id, description, DateTimeOffset.UtcNow, size, treeHash), cancellationToken);
        return id;
    }

    public static void WriteCreated(HttpContext context, string vault, string archiveId, string treeHash)
    {
        context.Response.Headers.Location = $"{StoreLayout.VaultPath(vault)}/archives/{archiveId}";
        context.Response.Headers["x-amz-archive-id"] = archiveId;
        context.Response.Headers["x-amz-sha256-tree-hash"] = treeHash;
        GlacierResponses.Empty(context, 201);
    }
}
