using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>InitiateJob, DescribeJob and ListJobs; the output itself is served by <see cref="JobOutputOperation"/>.</summary>
internal sealed class JobOperations(StoreLayout layout, TimeSpan jobDelay)
{
    private static readonly string[] Tiers = ["Expedited", "Standard", "Bulk"];

    public async Task InitiateAsync(HttpContext context, string vault)
    {
        layout.RequireVault(vault);
        using JsonDocument body = await ReadBodyAsync(context);
        JsonElement parameters = body.RootElement;
        string type = Text(parameters, "Type") ?? throw GlacierException.MissingParameter("Required parameter missing: Type.");
        string tier = Text(parameters, "Tier") ?? "Standard";
        if (!Tiers.Contains(tier))
        {
            throw GlacierException.InvalidParameter($"Invalid Tier '{tier}': allowed Expedited, Standard, Bulk.");
        }

        if (Text(parameters, "RetrievalByteRange") is not null)
        {
            throw GlacierException.InvalidParameter("RetrievalByteRange is not supported by local-glacier: retrieve the whole archive and read it with Range.");
        }

        string id = GlacierIds.New(92);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        JobRecord job = type switch
        {
            "archive-retrieval" => await ArchiveJobAsync(vault, id, Text(parameters, "ArchiveId"), tier, Text(parameters, "Description"), now, context.RequestAborted),
            "inventory-retrieval" => await InventoryJobAsync(vault, id, Text(parameters, "Format"), Text(parameters, "Description"), now, context.RequestAborted),
            _ => throw GlacierException.InvalidParameter($"Invalid job type '{type}': allowed archive-retrieval, inventory-retrieval."),
        };
        await JsonFiles.WriteAsync(layout.JobMeta(vault, id), job, context.RequestAborted);
        context.Response.Headers.Location = $"{StoreLayout.VaultPath(vault)}/jobs/{id}";
        context.Response.Headers["x-amz-job-id"] = id;
        GlacierResponses.Empty(context, 202);
    }

    public async Task DescribeAsync(HttpContext context, string vault, string jobId)
    {
        JobRecord job = await ReadJobAsync(layout, vault, jobId, context.RequestAborted);
        await GlacierResponses.JsonAsync(context, 200, Describe(vault, job));
    }

    public async Task ListAsync(HttpContext context, string vault)
    {
        layout.RequireVault(vault);
        string? completed = context.Request.Query["completed"].FirstOrDefault();
        string? status = context.Request.Query["statuscode"].FirstOrDefault();
        var jobs = new List<JobRecord>();
        foreach (string file in Directory.EnumerateFiles(layout.JobsDir(vault), "*.json"))
        {
            if (await JsonFiles.ReadAsync<JobRecord>(file, context.RequestAborted) is { } job
                && (completed is null || string.Equals(completed, IsDone(job) ? "true" : "false", StringComparison.OrdinalIgnoreCase))
                && (status is null || status == StatusCode(job)))
            {
                jobs.Add(job);
            }
        }

        jobs.Sort((a, b) => a.CreationDate != b.CreationDate ? a.CreationDate.CompareTo(b.CreationDate) : string.CompareOrdinal(a.JobId, b.JobId));
        (JobRecord[] page, string? next) = Paging.Page(jobs, j => j.JobId, context.Request.Query["marker"].FirstOrDefault(), Paging.Limit(context.Request, 1000));
        await GlacierResponses.JsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["JobList"] = page.Select(job => Describe(vault, job)).ToList(),
            ["Marker"] = next,
        });
    }

    public static async Task<JobRecord> ReadJobAsync(StoreLayout layout, string vault, string jobId, CancellationToken cancellationToken)
    {
        layout.RequireVault(vault);
        return await JsonFiles.ReadAsync<JobRecord>(layout.JobMeta(vault, jobId), cancellationToken)
            ?? throw GlacierException.NotFound($"The job ID was not found: {jobId}");
    }

    public static bool IsDone(JobRecord job) => DateTimeOffset.UtcNow >= job.CompletesAt;

    private static string StatusCode(JobRecord job) => IsDone(job) ? "Succeeded" : "InProgress";

    private async Task<JobRecord> ArchiveJobAsync(string vault, string id, string? archiveId, string tier, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (archiveId is null)
        {
            throw GlacierException.MissingParameter("Required parameter missing: ArchiveId.");
        }

        ArchiveRecord archive = await JsonFiles.ReadAsync<ArchiveRecord>(layout.ArchiveMeta(vault, archiveId), cancellationToken)
            ?? throw GlacierException.NotFound($"Archive not found: {archiveId}");
        return new JobRecord(id, "ArchiveRetrieval", archiveId, description, tier, now, now + jobDelay, archive.Size, archive.TreeHash, null);
    }

    private async Task<JobRecord> InventoryJobAsync(string vault, string id, string? format, string? description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (format is not (null or "JSON"))
        {
            throw GlacierException.InvalidParameter($"Inventory format '{format}' is not supported by local-glacier; use JSON.");
        }

        // The snapshot is taken now (Glacier's is up to a day old); the job still waits for the configured delay.
        var list = new List<Dictionary<string, object?>>();
        foreach (string file in Directory.EnumerateFiles(layout.ArchivesDir(vault), "*.json").Order(StringComparer.Ordinal))
        {
            if (await JsonFiles.ReadAsync<ArchiveRecord>(file, cancellationToken) is { } archive)
            {
                list.Add(new Dictionary<string, object?>
                {
                    ["ArchiveId"] = archive.ArchiveId,
                    ["ArchiveDescription"] = archive.Description,
                    ["CreationDate"] = GlacierTime.Format(archive.CreationDate),
                    ["Size"] = archive.Size,
                    ["SHA256TreeHash"] = archive.TreeHash,
                });
            }
        }

        var inventory = new Dictionary<string, object?>
        {
            ["VaultARN"] = StoreLayout.VaultArn(vault),
            ["InventoryDate"] = GlacierTime.Format(now),
            ["ArchiveList"] = list,
        };
        await File.WriteAllBytesAsync(layout.InventoryFile(vault, id), JsonSerializer.SerializeToUtf8Bytes(inventory), cancellationToken);
        long size = new FileInfo(layout.InventoryFile(vault, id)).Length;
        return new JobRecord(id, "InventoryRetrieval", null, description, "Standard", now, now + jobDelay, size, null, null);
    }

    private static Dictionary<string, object?> Describe(string vault, JobRecord job)
    {
        bool done = IsDone(job);
        bool archive = job.Action == "ArchiveRetrieval";
        return new Dictionary<string, object?>
        {
            ["JobId"] = job.JobId,
            ["JobDescription"] = job.Description,
            ["Action"] = job.Action,
            ["ArchiveId"] = job.ArchiveId,
            ["VaultARN"] = StoreLayout.VaultArn(vault),
            ["CreationDate"] = GlacierTime.Format(job.CreationDate),
            ["Completed"] = done,
            ["StatusCode"] = StatusCode(job),
            ["StatusMessage"] = done ? "Succeeded" : "In progress",
            ["ArchiveSizeInBytes"] = archive ? job.ArchiveSize : null,
            ["InventorySizeInBytes"] = archive ? null : job.ArchiveSize,
            ["CompletionDate"] = done ? GlacierTime.Format(job.CompletesAt) : null,
            ["SHA256TreeHash"] = job.ArchiveTreeHash,
            ["ArchiveSHA256TreeHash"] = job.ArchiveTreeHash,
            ["RetrievalByteRange"] = archive ? $"0-{Math.Max(0, (job.ArchiveSize ?? 0) - 1)}" : null,
            ["Tier"] = job.Tier,
        };
    }

    private static async Task<JsonDocument> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            throw GlacierException.InvalidParameter("The job parameters are not valid JSON.");
        }
    }

    private static string? Text(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
