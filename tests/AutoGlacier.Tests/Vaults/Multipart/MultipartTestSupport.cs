using System.Collections.Concurrent;
using System.Security.Cryptography;
using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier.Tests.Vaults.Multipart;

/// <summary>
/// An <see cref="IUploadJournal"/> that records what it is told, in order, and lets a test wait for the ticket.
/// <paramref name="onStarted"/> runs inside <see cref="UploadStartedAsync"/> (e.g. to note how many parts the server had seen then).
/// </summary>
internal sealed class RecordingJournal(Action<MultipartTicket>? onStarted = null, Action<string, long>? onSealed = null) : IUploadJournal
{
    private readonly TaskCompletionSource<MultipartTicket> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every call, in order: ("started", upload id), ("sealed", spool path) or ("completing", target).</summary>
    public ConcurrentQueue<(string Call, string Value)> Calls { get; } = new();

    public List<MultipartTicket> Tickets { get; } = [];

    public List<(string Path, long Size)> Sealed { get; } = [];

    /// <summary>Completes with the first ticket.</summary>
    public Task<MultipartTicket> Started => _started.Task;

    public Task UploadStartedAsync(MultipartTicket ticket, CancellationToken cancellationToken)
    {
        onStarted?.Invoke(ticket);
        lock (Tickets)
        {
            Tickets.Add(ticket);
        }

        Calls.Enqueue(("started", ticket.UploadId));
        _started.TrySetResult(ticket);
        return Task.CompletedTask;
    }

    /// <summary>Acknowledged parts by index, with the start offset the journal was given.</summary>
    public ConcurrentDictionary<int, (long Start, UploadedPart Part)> Parts { get; } = new();

    public void PartStored(UploadedPart part, long start) => Parts[part.Index] = (start, part);

    public Task CompletingAsync(string target, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("completing", target));
        return Task.CompletedTask;
    }

    public Task SpoolSealedAsync(string spoolPath, long size, CancellationToken cancellationToken)
    {
        onSealed?.Invoke(spoolPath, size);
        lock (Sealed)
        {
            Sealed.Add((spoolPath, size));
        }

        Calls.Enqueue(("sealed", spoolPath));
        return Task.CompletedTask;
    }
}

internal static class MultipartTestData
{
    public const int MiB = 1 << 20;

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>A run key no other test uses (digits, like the unix timestamps real runs use).</summary>
    public static string NewRunKey() => $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}{Random.Shared.Next(100_000, 999_999)}";

    /// <summary>Reads an archive back through <paramref name="vault"/>, whose retrieval must be ready at once (local servers, STANDARD objects).</summary>
    public static async Task<byte[]> ReadAsync(IVault vault, string archiveId)
    {
        RetrievalState state = await vault.RequestRetrievalAsync(archiveId, new RetrievalRequest(), CancellationToken.None);
        Assert.True(state.IsReady, state.Message);
        await using Stream stream = await vault.OpenReadAsync(archiveId, 0, CancellationToken.None);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Compares without dumping megabytes into the failure message.</summary>
    public static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int same = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(same == expected.Length, $"bytes differ from offset {same}");
    }
}
