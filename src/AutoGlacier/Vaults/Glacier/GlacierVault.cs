using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Vaults.Glacier;

/// <summary>
/// An Amazon Glacier vault (or a compatible server such as <c>autoglacier local-glacier</c>). Uploads go up in
/// PART_SIZE_MB parts with tree hashes (<see cref="GlacierMultipartBackend"/>); reading is an archive-retrieval job
/// followed by ranged, tree-hash-verified downloads; listing is an inventory-retrieval job.
/// </summary>
/// <remarks>
/// Retrieval and inventory jobs started by this instance are remembered, so re-requesting a retrieval (or listing
/// again with no upload or delete in between) re-checks the job instead of starting a new one. Archive
/// descriptions carry the run key and description (<see cref="ArchiveDescriptionCodec"/>).
/// </remarks>
public sealed class GlacierVault : IVault, IMultipartVault, IAsyncDisposable, IDisposable
{
    private readonly GlacierClient _client;
    /// <summary>An inventory job younger than this is reused by a new vault object instead of starting another.</summary>
    private const int RecentInventoryHours = 20;

    private readonly ConcurrentDictionary<string, GlacierJob> _retrievals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _logicalSizes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _vaultCheck = new(1, 1);
    private bool _vaultChecked;
    private int _generation;
    private (string JobId, int Generation)? _inventory;

    /// <summary>Opens a vault with the given settings (no request is made until first use).</summary>
    public GlacierVault(GlacierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _client = new GlacierClient(settings);
    }

    /// <inheritdoc />
    public string BackendName => "glacier";

    /// <inheritdoc />
    public VaultCapabilities Capabilities => StorageCapabilities;

    /// <summary>
    /// Glacier vaults: 90 days minimum storage, every read is a retrieval job (tiers with Glacier's typical times),
    /// resumable multipart uploads, and an inventory refreshed about once a day.
    /// </summary>
    internal static VaultCapabilities StorageCapabilities { get; } = new()
    {
        StorageName = "Glacier",
        MinimumStorageDays = 90,
        ReadsNeedRetrieval = true,
        RetrievalTiers = [("Expedited", "1–5 minutes"), ("Standard", "3–5 hours"), ("Bulk", "5–12 hours")],
        ResumableUploads = true,
        UsesRegion = true,
        ListingLag = TimeSpan.FromDays(1),
    };

    /// <inheritdoc />
    public string Location => $"glacier:{Settings.Region}/{Settings.VaultName}" + (Settings.Endpoint is null ? "" : $" at {Settings.Endpoint}");

    private GlacierSettings Settings => _client.Settings;

    /// <inheritdoc />
    public async Task<IArchiveUpload> BeginUploadAsync(ArchiveUploadInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        await EnsureVaultAsync(cancellationToken).ConfigureAwait(false);
        return MultipartUploads.Begin(Multipart, info);
    }

    /// <inheritdoc />
    IMultipartBackend IMultipartVault.Multipart => Multipart;

    private GlacierMultipartBackend Multipart => new(_client, () => Interlocked.Increment(ref _generation));

    /// <inheritdoc />
    public async Task<RetrievalState> RequestRetrievalAsync(string archiveId, RetrievalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? token = request.ExistingToken ?? (_retrievals.TryGetValue(archiveId, out GlacierJob? known) ? known.JobId : null);
        GlacierJob? job = token is null ? null : await TryDescribeAsync(token, archiveId, cancellationToken).ConfigureAwait(false);
        job ??= await StartRetrievalAsync(archiveId, request.Tier ?? Settings.RetrievalTier, cancellationToken).ConfigureAwait(false);
        if (job.Failed)
        {
            _retrievals.TryRemove(archiveId, out _);
            throw new GlacierServiceException($"Glacier retrieval job {job.JobId} for archive {archiveId} in vault '{Settings.VaultName}' failed: {job.StatusMessage}. Request the retrieval again without the old job id.");
        }

        _retrievals[archiveId] = job;
        return job.Succeeded
            ? new RetrievalState(true, job.JobId, $"Glacier retrieval job {job.JobId} succeeded; its output stays downloadable for at least 24 hours.")
            : new RetrievalState(false, job.JobId, $"Glacier {job.Tier} retrieval job {job.JobId} in progress since {job.CreationDate:u} (Expedited takes 1-5 min, Standard 3-5 h, Bulk 5-12 h).");
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string archiveId, long offset, CancellationToken cancellationToken)
    {
        if (!_retrievals.TryGetValue(archiveId, out GlacierJob? job))
        {
            throw new ArchiveNotFoundException($"No retrieval of archive {archiveId} from Glacier vault '{Settings.VaultName}' is known to this vault instance: the archive does not exist, or RequestRetrievalAsync was not called first.");
        }

        if (!job.Succeeded)
        {
            throw new InvalidOperationException($"Glacier retrieval job {job.JobId} for archive {archiveId} is not finished; wait until RequestRetrievalAsync reports it ready.");
        }

        long length = await LogicalSizeAsync(job, cancellationToken).ConfigureAwait(false);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
        return new GlacierDownloadStream(_client, job.JobId, offset, length);
    }

    /// <inheritdoc />
    /// <exception cref="InventoryPendingException">The inventory job has not finished yet (Glacier: hours).</exception>
    public async IAsyncEnumerable<VaultArchive> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int generation = Volatile.Read(ref _generation);
        if (_inventory is null && generation == 0 && await RecentInventoryJobAsync(cancellationToken).ConfigureAwait(false) is { } recent)
        {
            // A fresh vault object (e.g. the next run of 'inventory' from cron) reuses a job started in the last day.
            _inventory = (recent, generation);
        }

        if (_inventory is not { } inventory || inventory.Generation != generation)
        {
            var parameters = new Dictionary<string, string> { ["Type"] = "inventory-retrieval", ["Format"] = "JSON" };
            string jobId = await _client.InitiateJobAsync(parameters, new GlacierCall("InitiateJob", "inventory-retrieval"), cancellationToken).ConfigureAwait(false);
            inventory = (jobId, generation);
            _inventory = inventory;
        }

        GlacierJob job = await _client.DescribeJobAsync(inventory.JobId, cancellationToken).ConfigureAwait(false);
        if (!job.Succeeded)
        {
            throw new InventoryPendingException($"Glacier inventory job {job.JobId} for vault '{Settings.VaultName}' is {job.StatusCode} (started {job.CreationDate:u}); Glacier takes hours, and a new vault has no inventory for about a day. List again later.");
        }

        foreach (VaultArchive archive in await GlacierInventory.ReadAsync(_client, job.JobId, cancellationToken).ConfigureAwait(false))
        {
            // The inventory is read whole; a caller that cancels while walking it stops at the next archive.
            cancellationToken.ThrowIfCancellationRequested();
            yield return archive;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string archiveId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteArchiveAsync(archiveId, cancellationToken).ConfigureAwait(false);
        }
        catch (GlacierServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            throw new ArchiveNotFoundException($"Glacier vault '{Settings.VaultName}' has no archive {archiveId}.", ex);
        }

        _retrievals.TryRemove(archiveId, out _);
        Interlocked.Increment(ref _generation);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _vaultCheck.Dispose();
    }

    private async Task EnsureVaultAsync(CancellationToken cancellationToken)
    {
        await _vaultCheck.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_vaultChecked)
            {
                return;
            }

            if (!await _client.VaultExistsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!Settings.CreateVault)
                {
                    throw new GlacierServiceException(
                        $"Glacier vault '{Settings.VaultName}' does not exist in region {Settings.Region}. Create it (aws glacier create-vault --account-id - --vault-name {Settings.VaultName} --region {Settings.Region}), set CREATE_VAULT to true, or fix VAULT_NAME / REGION_NAME.");
                }

                await _client.CreateVaultAsync(cancellationToken).ConfigureAwait(false);
            }

            _vaultChecked = true;
        }
        finally
        {
            _vaultCheck.Release();
        }
    }

    private async Task<string?> RecentInventoryJobAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset since = DateTimeOffset.UtcNow.AddHours(-RecentInventoryHours);
        List<GlacierJob> jobs = await _client.ListJobsAsync(cancellationToken).ConfigureAwait(false);
        return jobs.Where(job => job.Action == "InventoryRetrieval" && !job.Failed && job.CreationDate >= since)
            .OrderByDescending(job => job.CreationDate)
            .Select(job => job.JobId)
            .FirstOrDefault();
    }

    private async Task<GlacierJob?> TryDescribeAsync(string jobId, string archiveId, CancellationToken cancellationToken)
    {
        try
        {
            GlacierJob job = await _client.DescribeJobAsync(jobId, cancellationToken).ConfigureAwait(false);
            return job.ArchiveId == archiveId ? job : null;
        }
        catch (GlacierServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            return null; // The job expired: start a new one.
        }
    }

    private async Task<GlacierJob> StartRetrievalAsync(string archiveId, string tier, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>
        {
            ["Type"] = "archive-retrieval",
            ["ArchiveId"] = archiveId,
            ["Tier"] = tier,
            ["Description"] = "AutoGlacier restore",
        };
        try
        {
            string jobId = await _client.InitiateJobAsync(parameters, new GlacierCall("InitiateJob", $"archive {archiveId}"), cancellationToken).ConfigureAwait(false);
            return await _client.DescribeJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
        catch (GlacierServiceException ex) when (ex.ErrorCode == "ResourceNotFoundException")
        {
            throw new ArchiveNotFoundException($"Glacier vault '{Settings.VaultName}' in {Settings.Region} has no archive {archiveId}: {ex.Message}", ex);
        }
    }

    /// <summary>The archive's size; an archive flagged empty in its description is one placeholder byte in Glacier.</summary>
    private async Task<long> LogicalSizeAsync(GlacierJob job, CancellationToken cancellationToken)
    {
        long stored = job.ArchiveSize ?? 0;
        if (stored != 1)
        {
            return stored;
        }

        if (!_logicalSizes.TryGetValue(job.JobId, out long size))
        {
            using HttpResponseMessage response = await _client.GetJobOutputAsync(job.JobId, 0, 0, cancellationToken).ConfigureAwait(false);
            string? description = response.Headers.TryGetValues("x-amz-archive-description", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
            size = ArchiveDescriptionCodec.TryDecode(description)?.Empty == true ? 0 : 1;
            _logicalSizes[job.JobId] = size;
        }

        return size;
    }
}
