using System.Globalization;
using System.Text.RegularExpressions;
using AutoGlacier.Hashing;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>
/// GetJobOutput: the whole output (200) or a <c>Range: bytes=A-B</c> (206), with x-amz-sha256-tree-hash when the
/// range is tree-hash aligned (a whole subtree of the archive's tree: starts at a multiple of 2^k MiB and ends
/// 2^k MiB later or at the end).
/// </summary>
internal sealed partial class JobOutputOperation(StoreLayout layout)
{
    public async Task GetAsync(HttpContext context, string vault, string jobId, bool dropConnection)
    {
        JobRecord job = await JobOperations.ReadJobAsync(layout, vault, jobId, context.RequestAborted);
        if (!JobOperations.IsDone(job))
        {
            throw GlacierException.InvalidParameter($"The job is not currently available for download: {jobId}");
        }

        bool inventory = job.Action == "InventoryRetrieval";
        string path = inventory ? layout.InventoryFile(vault, jobId) : layout.ArchiveData(vault, job.ArchiveId!);
        if (!File.Exists(path))
        {
            throw GlacierException.NotFound($"The output of job {jobId} is gone: archive {job.ArchiveId} was deleted.");
        }

        long total = new FileInfo(path).Length;
        (long start, long end, bool ranged) = ParseRange(context.Request.Headers.Range.ToString(), total);
        context.Response.StatusCode = ranged ? 206 : 200;
        context.Response.ContentType = inventory ? "application/json" : "application/octet-stream";
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentLength = end - start + 1;
        if (ranged)
        {
            context.Response.Headers.ContentRange = $"bytes {start}-{end}/{total}";
        }

        if (!inventory)
        {
            ArchiveRecord? archive = await JsonFiles.ReadAsync<ArchiveRecord>(layout.ArchiveMeta(vault, job.ArchiveId!), context.RequestAborted);
            context.Response.Headers["x-amz-archive-description"] = archive?.Description ?? "";
            if (IsTreeHashAligned(start, end, total))
            {
                context.Response.Headers["x-amz-sha256-tree-hash"] = start == 0 && end == total - 1 && job.ArchiveTreeHash is not null
                    ? job.ArchiveTreeHash
                    : await RangeTreeHashAsync(path, start, end, context.RequestAborted);
            }
        }

        await SendAsync(context, path, start, end - start + 1, dropConnection);
    }

    public static bool IsTreeHashAligned(long start, long end, long total)
    {
        for (long size = MultipartRules.MiB; size / 2 < total; size *= 2)
        {
            if (start % size == 0 && end + 1 == Math.Min(start + size, total))
            {
                return true;
            }
        }

        return start == 0 && end == total - 1;
    }

    private static async Task<string> RangeTreeHashAsync(string path, long start, long end, CancellationToken cancellationToken)
    {
        await using FileStream file = File.OpenRead(path);
        file.Position = start;
        using var tree = new TreeHash();
        byte[] buffer = new byte[1 << 16];
        for (long left = end - start + 1; left > 0;)
        {
            int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            tree.Append(buffer.AsSpan(0, read));
            left -= read;
        }

        return Convert.ToHexStringLower(tree.Finish());
    }

    private static async Task SendAsync(HttpContext context, string path, long start, long length, bool dropConnection)
    {
        await using FileStream file = File.OpenRead(path);
        file.Position = start;
        long toSend = dropConnection ? length / 2 : length;
        byte[] buffer = new byte[1 << 16];
        while (toSend > 0)
        {
            int read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, toSend)), context.RequestAborted);
            if (read == 0)
            {
                break;
            }

            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            toSend -= read;
        }

        if (dropConnection)
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        }
    }

    private static (long Start, long End, bool Ranged) ParseRange(string header, long total)
    {
        if (string.IsNullOrEmpty(header))
        {
            return (0, total - 1, false);
        }

        Match match = RangePattern().Match(header);
        if (!match.Success)
        {
            throw GlacierException.InvalidParameter($"Invalid Range '{header}': expected bytes=A-B or bytes=A-.");
        }

        long start = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        long end = match.Groups[2].Success ? long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : total - 1;
        end = Math.Min(end, total - 1);
        if (start > end)
        {
            throw GlacierException.InvalidParameter($"Invalid Range '{header}' for an output of {total} bytes.");
        }

        return (start, end, true);
    }

    [GeneratedRegex("^bytes=([0-9]{1,19})-([0-9]{1,19})?$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();
}
