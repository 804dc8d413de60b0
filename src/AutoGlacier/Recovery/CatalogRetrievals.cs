using System.Text.Json;
using System.Text.Json.Serialization;
using AutoGlacier.Restore;
using AutoGlacier.Streams;
using AutoGlacier.Vaults;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.Recovery;

/// <summary>
/// Makes catalogs readable for <c>recover</c>: asks for every retrieval at once (cold storage: one job per catalog,
/// hours each, so never one after the other), hands each catalog on as soon as it is readable, and keeps the
/// retrieval tokens (Glacier job ids) in a small file beside the local catalogs, so that running recover again
/// continues with the same jobs instead of starting (and paying for) new ones. Instant backends answer ready at once.
/// </summary>
/// <remarks>The runs are not in the log yet, so the tokens cannot live in their run records as restore's do.</remarks>
internal sealed class CatalogRetrievals(IVault vault, string stateFile, RetrievalOptions options, ILogger logger)
{
    /// <summary>The token file's name in the local catalogs' directory (hidden: it is not a catalog).</summary>
    public const string StateFileName = ".recover-retrievals.json";

    private readonly string _stateFile = stateFile;
    private readonly Dictionary<string, string> _tokens = Load(stateFile);

    /// <summary>
    /// Requests every catalog, calls <paramref name="readable"/> for each as it becomes readable, and returns the ones
    /// still pending when not waiting (or when the maximum wait ran out), each with the vault's word on it.
    /// </summary>
    public async Task<IReadOnlyList<(VaultArchive Catalog, string State)>> RetrieveAsync(IReadOnlyList<VaultArchive> catalogs,
        Func<VaultArchive, Task> readable, CancellationToken cancellationToken)
    {
        string? tier = options.CheckedTier();
        TimeProvider clock = options.TimeProvider;
        DateTimeOffset? deadline = options.MaxWait is { } max ? clock.GetUtcNow() + max : null;
        var waiting = catalogs.ToList();
        while (true)
        {
            var pending = new List<(VaultArchive Catalog, string State)>();
            foreach (VaultArchive catalog in waiting)
            {
                RetrievalState state = await RequestAsync(catalog, tier, cancellationToken).ConfigureAwait(false);
                if (!state.IsReady)
                {
                    pending.Add((catalog, state.Message));
                    continue;
                }

                await readable(catalog).ConfigureAwait(false);
                Forget(catalog.ArchiveId);
            }

            TimeSpan delay = options.IntervalFor(tier);
            if (pending.Count == 0 || !options.Wait || (deadline is { } end && clock.GetUtcNow() + delay > end))
            {
                return pending;
            }

            logger.LogInformation("{Count} catalog(s) still being retrieved (e.g. {State}); next check in {Delay}", pending.Count, pending[0].State, delay);
            await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            waiting = pending.Select(p => p.Catalog).ToList();
        }
    }

    private async Task<RetrievalState> RequestAsync(VaultArchive catalog, string? tier, CancellationToken cancellationToken)
    {
        string? known = _tokens.GetValueOrDefault(catalog.ArchiveId);
        RetrievalState state = await vault.RequestRetrievalAsync(catalog.ArchiveId, new RetrievalRequest(tier, known, options.Days), cancellationToken)
            .ConfigureAwait(false);
        if (state.Token is { } token && token != known)
        {
            _tokens[catalog.ArchiveId] = token;
            Save();
        }

        return state;
    }

    private void Forget(string catalogId)
    {
        if (_tokens.Remove(catalogId))
        {
            Save();
        }
    }

    private static Dictionary<string, string> Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), RecoveryJsonContext.Default.DictionaryStringString) ?? [];
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return []; // none yet, or damaged: new retrievals are requested (the vault may reuse a running job)
        }
    }

    /// <summary>Replaces the token file in one rename (deleted once no retrieval is outstanding).</summary>
    private void Save()
    {
        if (_tokens.Count == 0)
        {
            File.Delete(_stateFile);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_stateFile)!);
        string temp = _stateFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var file = new FileStream(temp, NewFileOptions.Create(FileAccess.Write, 4096, NewFileOptions.Private)))
        {
            JsonSerializer.Serialize(file, _tokens, RecoveryJsonContext.Default.DictionaryStringString);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _stateFile, overwrite: true);
    }
}

/// <summary>Source-generated JSON for recover's retrieval token file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RecoveryJsonContext : JsonSerializerContext;
