using System.Globalization;
using AutoGlacier.Hashing;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>InitiateMultipartUpload, UploadMultipartPart, ListParts, ListMultipartUploads, Complete and Abort.</summary>
internal sealed class MultipartOperations(StoreLayout layout, ArchiveOperations archives)
{
    public async Task InitiateAsync(HttpContext context, string vault)
    {
        layout.RequireVault(vault);
        string description = ArchiveDescriptions.Read(context.Request);
        long partSize = MultipartRules.ParsePartSize(context.Request.Headers["x-amz-part-size"].FirstOrDefault());
        string id = GlacierIds.New(92);
        var state = new UploadState(layout.UploadDir(vault, id));
        Directory.CreateDirectory(state.Directory);
        await JsonFiles.WriteAsync(state.MetaFile, new UploadRecord(id, description, partSize, DateTimeOffset.UtcNow), context.RequestAborted);
        context.Response.Headers.Location = $"{StoreLayout.VaultPath(vault)}/multipart-uploads/{id}";
        context.Response.Headers["x-amz-multipart-upload-id"] = id;
        GlacierResponses.Empty(context, 201);
    }

    public async Task UploadPartAsync(HttpContext context, string vault, string uploadId, bool dropConnection)
    {
        (UploadState state, UploadRecord upload) = await OpenAsync(vault, uploadId, context.RequestAborted);
        (long start, long end) = MultipartRules.ParseRange(context.Request.Headers.ContentRange.ToString(), upload.PartSize);
        using ReceivedBody body = await ReceivedBody.ReceiveAsync(context, layout.Incoming, dropConnection);
        body.CheckAgainst(context.Request);
        if (body.Size != end - start + 1)
        {
            throw GlacierException.InvalidParameter($"Content-Range: bytes {start}-{end} announces {end - start + 1} bytes but the body has {body.Size}.");
        }

        // Re-uploading a part overwrites it, as in Glacier.
        File.Move(body.Path, state.PartData(start), overwrite: true);
        await JsonFiles.WriteAsync(state.PartMeta(start), new PartRecord(start, end, body.TreeHash), context.RequestAborted);
        context.Response.Headers["x-amz-sha256-tree-hash"] = body.TreeHash;
        GlacierResponses.Empty(context, 204);
    }

    public async Task ListPartsAsync(HttpContext context, string vault, string uploadId)
    {
        (UploadState state, UploadRecord upload) = await OpenAsync(vault, uploadId, context.RequestAborted);
        List<PartRecord> parts = await state.ReadPartsAsync(context.RequestAborted);
        (PartRecord[] page, string? next) = Paging.Page(parts, p => p.Start.ToString(CultureInfo.InvariantCulture),
            context.Request.Query["marker"].FirstOrDefault(), Paging.Limit(context.Request, 1000));
        await GlacierResponses.JsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["ArchiveDescription"] = upload.Description,
            ["CreationDate"] = GlacierTime.Format(upload.CreationDate),
            ["Marker"] = next,
            ["MultipartUploadId"] = upload.UploadId,
            ["PartSizeInBytes"] = upload.PartSize,
            ["Parts"] = page.Select(p => new Dictionary<string, string> { ["RangeInBytes"] = $"{p.Start}-{p.End}", ["SHA256TreeHash"] = p.TreeHash }).ToList(),
            ["VaultARN"] = StoreLayout.VaultArn(vault),
        });
    }

    public async Task ListUploadsAsync(HttpContext context, string vault)
    {
        layout.RequireVault(vault);
        var uploads = new List<UploadRecord>();
        foreach (string directory in Directory.EnumerateDirectories(layout.UploadsDir(vault)).Order(StringComparer.Ordinal))
        {
            var state = new UploadState(directory);
            if (!File.Exists(state.CompletedFile) && await JsonFiles.ReadAsync<UploadRecord>(state.MetaFile, context.RequestAborted) is { } upload)
            {
                uploads.Add(upload);
            }
        }

        (UploadRecord[] page, string? next) = Paging.Page(uploads, u => u.UploadId,
            context.Request.Query["marker"].FirstOrDefault(), Paging.Limit(context.Request, 1000));
        await GlacierResponses.JsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["Marker"] = next,
            ["UploadsList"] = page.Select(u => new Dictionary<string, object?>
            {
                ["ArchiveDescription"] = u.Description,
                ["CreationDate"] = GlacierTime.Format(u.CreationDate),
                ["MultipartUploadId"] = u.UploadId,
                ["PartSizeInBytes"] = u.PartSize,
                ["VaultARN"] = StoreLayout.VaultArn(vault),
            }).ToList(),
        });
    }

    public async Task CompleteAsync(HttpContext context, string vault, string uploadId)
    {
        var state = new UploadState(layout.UploadDir(vault, uploadId));
        long size = ParseArchiveSize(context.Request.Headers["x-amz-archive-size"].FirstOrDefault());
        string treeHash = context.Request.Headers["x-amz-sha256-tree-hash"].ToString();
        if (await JsonFiles.ReadAsync<CompletedUpload>(state.CompletedFile, context.RequestAborted) is { } done)
        {
            // A retried Complete (the first answer was lost) gets the same archive.
            RequireSame(done, size, treeHash);
            ArchiveOperations.WriteCreated(context, vault, done.ArchiveId, done.TreeHash);
            return;
        }

        (_, UploadRecord upload) = await OpenAsync(vault, uploadId, context.RequestAborted);
        List<PartRecord> parts = await state.ReadPartsAsync(context.RequestAborted);
        CheckPartsCover(parts, upload.PartSize, size);
        string computed = Convert.ToHexStringLower(TreeHash.Combine(parts.Select(p => Convert.FromHexString(p.TreeHash)).ToList()));
        if (!string.Equals(computed, treeHash, StringComparison.OrdinalIgnoreCase))
        {
            throw GlacierException.InvalidParameter($"Checksum mismatch: the tree hash of the uploaded parts is {computed}, the request says '{treeHash}'.");
        }

        string joined = await ConcatenateAsync(state, parts, context.RequestAborted);
        string archiveId = await archives.StoreAsync(vault, joined, upload.Description, size, computed, context.RequestAborted);
        await JsonFiles.WriteAsync(state.CompletedFile, new CompletedUpload(archiveId, size, computed), context.RequestAborted);
        foreach (PartRecord part in parts)
        {
            File.Delete(state.PartData(part.Start));
        }

        ArchiveOperations.WriteCreated(context, vault, archiveId, computed);
    }

    public async Task AbortAsync(HttpContext context, string vault, string uploadId)
    {
        (UploadState state, _) = await OpenAsync(vault, uploadId, context.RequestAborted);

        // Rename first (atomic): a part request still finishing cannot write into the upload any more; then delete.
        string trash = Path.Combine(layout.Incoming, "aborted-" + Guid.NewGuid().ToString("N"));
        Directory.Move(state.Directory, trash);
        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (IOException)
        {
            // A late part wrote into it meanwhile; it is outside the vault already, so leaving it is harmless.
        }

        GlacierResponses.Empty(context, 204);
    }

    private async Task<(UploadState State, UploadRecord Upload)> OpenAsync(string vault, string uploadId, CancellationToken cancellationToken)
    {
        layout.RequireVault(vault);
        var state = new UploadState(layout.UploadDir(vault, uploadId));
        UploadRecord? upload = File.Exists(state.CompletedFile) ? null : await JsonFiles.ReadAsync<UploadRecord>(state.MetaFile, cancellationToken);
        return upload is null
            ? throw GlacierException.NotFound($"Multipart upload not found: {uploadId}")
            : (state, upload);
    }

    private static long ParseArchiveSize(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long size)
            ? size
            : throw GlacierException.MissingParameter("Required parameter missing or invalid: x-amz-archive-size.");

    private static void RequireSame(CompletedUpload done, long size, string treeHash)
    {
        if (done.Size != size || !string.Equals(done.TreeHash, treeHash, StringComparison.OrdinalIgnoreCase))
        {
            throw GlacierException.InvalidParameter("This upload was already completed with a different archive size or tree hash.");
        }
    }

    /// <summary>Every part present, contiguous from 0, full size except the last, adding up to the archive size.</summary>
    private static void CheckPartsCover(List<PartRecord> parts, long partSize, long archiveSize)
    {
        long expectedCount = (archiveSize + partSize - 1) / partSize;
        if (archiveSize < 1 || parts.Count != expectedCount)
        {
            throw GlacierException.InvalidParameter($"Archive size {archiveSize} in parts of {partSize} bytes needs {expectedCount} parts; {parts.Count} were uploaded.");
        }

        for (int i = 0; i < parts.Count; i++)
        {
            long start = i * partSize;
            long end = Math.Min(start + partSize, archiveSize) - 1;
            if (parts[i].Start != start || parts[i].End != end)
            {
                throw GlacierException.InvalidParameter($"Part {i + 1} covers bytes {parts[i].Start}-{parts[i].End}; an archive of {archiveSize} bytes needs bytes {start}-{end} there.");
            }
        }
    }

    private async Task<string> ConcatenateAsync(UploadState state, List<PartRecord> parts, CancellationToken cancellationToken)
    {
        string joined = Path.Combine(layout.Incoming, "complete-" + Guid.NewGuid().ToString("N") + ".tmp");
        await using FileStream output = File.Create(joined);
        foreach (PartRecord part in parts)
        {
            await using FileStream input = File.OpenRead(state.PartData(part.Start));
            await input.CopyToAsync(output, cancellationToken);
        }

        return joined;
    }
}
