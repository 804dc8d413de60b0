using System.Collections.Concurrent;
using AutoGlacier.Log;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier;

/// <summary>The parts of a run's upload acknowledged so far, for the run's log record (<see cref="RunRecord.UploadParts"/>).</summary>
internal sealed class UploadPartLedger
{
    private readonly ConcurrentDictionary<int, UploadPartRecord> _parts = new();
    private int _changes;
    private long _bytes;

    /// <summary>Counts every acknowledgement, so a writer can tell whether anything is new since its last write.</summary>
    public int Changes => Volatile.Read(ref _changes);

    /// <summary>Bytes in the acknowledged parts (a part acknowledged twice counts once).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    public void Add(UploadedPart part, long start)
    {
        var record = new UploadPartRecord { Part = part.Index + 1, Start = start, Length = part.Length, Checksum = part.Checksum };
        if (_parts.TryGetValue(part.Index, out var earlier)) { Interlocked.Add(ref _bytes, -earlier.Length); }
        _parts[part.Index] = record;
        Interlocked.Add(ref _bytes, record.Length);
        Interlocked.Increment(ref _changes);
    }

    /// <summary>The parts in order, or null when there are none.</summary>
    public IReadOnlyList<UploadPartRecord>? Snapshot() => _parts.IsEmpty ? null : _parts.Values.OrderBy(p => p.Part).ToList();
}
