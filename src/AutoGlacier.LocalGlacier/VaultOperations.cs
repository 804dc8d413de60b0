using Microsoft.AspNetCore.Http;

namespace AutoGlacier.LocalGlacier;

/// <summary>CreateVault, DescribeVault, ListVaults, DeleteVault.</summary>
internal sealed class VaultOperations(StoreLayout layout)
{
    public async Task CreateAsync(HttpContext context, string vault)
    {
        await layout.MetadataLock.WaitAsync(context.RequestAborted);
        try
        {
            if (!File.Exists(layout.VaultFile(vault)))
            {
                Directory.CreateDirectory(layout.ArchivesDir(vault));
                Directory.CreateDirectory(layout.UploadsDir(vault));
                Directory.CreateDirectory(layout.JobsDir(vault));
                await JsonFiles.WriteAsync(layout.VaultFile(vault), new VaultRecord(vault, DateTimeOffset.UtcNow), context.RequestAborted);
            }
        }
        finally
        {
            layout.MetadataLock.Release();
        }

        // Creating an existing vault succeeds, as in Glacier.
        context.Response.Headers.Location = StoreLayout.VaultPath(vault);
        GlacierResponses.Empty(context, 201);
    }

    public async Task DescribeAsync(HttpContext context, string vault)
    {
        layout.RequireVault(vault);
        await GlacierResponses.JsonAsync(context, 200, await DescriptionAsync(vault, context.RequestAborted));
    }

    public async Task ListAsync(HttpContext context)
    {
        int limit = Paging.Limit(context.Request, 1000);
        string? marker = context.Request.Query["marker"].FirstOrDefault();
        string[] names = Directory.EnumerateDirectories(layout.VaultsDir).Select(Path.GetFileName).OfType<string>()
            .Where(name => File.Exists(layout.VaultFile(name))).Order(StringComparer.Ordinal).ToArray();
        (string[] page, string? next) = Paging.Page(names, name => name, marker, limit);
        var list = new List<Dictionary<string, object?>>();
        foreach (string name in page)
        {
            list.Add(await DescriptionAsync(name, context.RequestAborted));
        }

        await GlacierResponses.JsonAsync(context, 200, new Dictionary<string, object?> { ["VaultList"] = list, ["Marker"] = next });
    }

    public async Task DeleteAsync(HttpContext context, string vault)
    {
        await layout.MetadataLock.WaitAsync(context.RequestAborted);
        try
        {
            layout.RequireVault(vault);
            if (Directory.EnumerateFiles(layout.ArchivesDir(vault), "*.json").Any())
            {
                throw GlacierException.InvalidParameter($"Vault not empty or recently written to: {StoreLayout.VaultArn(vault)}");
            }

            Directory.Delete(layout.VaultDir(vault), recursive: true);
        }
        finally
        {
            layout.MetadataLock.Release();
        }

        GlacierResponses.Empty(context, 204);
    }

    private async Task<Dictionary<string, object?>> DescriptionAsync(string vault, CancellationToken cancellationToken)
    {
        VaultRecord record = await JsonFiles.ReadAsync<VaultRecord>(layout.VaultFile(vault), cancellationToken)
            ?? throw GlacierException.NotFound($"Vault not found for ARN: {StoreLayout.VaultArn(vault)}");
        FileInfo[] archives = new DirectoryInfo(layout.ArchivesDir(vault)).GetFiles("*.data");
        return new Dictionary<string, object?>
        {
            ["VaultARN"] = StoreLayout.VaultArn(vault),
            ["VaultName"] = vault,
            ["CreationDate"] = GlacierTime.Format(record.CreationDate),
            ["LastInventoryDate"] = null,
            ["NumberOfArchives"] = archives.Length,
            ["SizeInBytes"] = archives.Sum(file => file.Length),
        };
    }
}
