using System.Collections.Concurrent;
using AutoGlacier.Log;
using AutoGlacier.Vaults.Multipart;

namespace AutoGlacier;

/// <summary>The parts of a run's upload acknowledged so far, for the run's log record (<see cref="RunRecord.UploadParts"/>).</summary>
internal sealed class UploadPartLedger
{
    private readonly ConcurrentDictionary<int, UploadPartRecord> _parts = new();
    private int _changes;

    /// <summary>Counts every acknowledgement, so a writer can tell whether anything is new since its last write.</summary>
    public int Changes => Volatile.Read(ref _changes);

    public void Add(UploadedPart part, long start)
    {
        _parts[part.Index] = new UploadPartRecord { Part = part.Index + 1, Start = start, Length = part.Length, Checksum = part.Checksum };
        Interlocked.Increment(ref _changes);
    }

    /// <summary>The parts in order, or null when there are none.</summary>
    public IReadOnlyList<UploadPartRecord>? Snapshot() => _parts.IsEmpty ? null : _parts.Values.OrderBy(p => p.Part).ToList();
}
