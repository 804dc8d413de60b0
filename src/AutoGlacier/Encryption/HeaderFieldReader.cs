using System.Buffers.Binary;

namespace AutoGlacier.Encryption;

/// <summary>Reads header fields one by one, keeping every byte so the exact header can be hashed.</summary>
internal sealed class HeaderFieldReader(Stream input)
{
    private readonly List<byte> _consumed = [];

    public byte[] Take(int count, string field)
    {
        var buffer = new byte[count];
        var read = input.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        if (read < count)
        {
            throw new ArchiveIntegrityException(
                $"The archive ends inside its header (while reading the {field} at byte offset {_consumed.Count + read}): " +
                "the archive was truncated or is not an AutoGlacier archive; try another copy.");
        }
        _consumed.AddRange(buffer);
        return buffer;
    }

    public ushort UInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint UInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public byte[] ConsumedBytes() => _consumed.ToArray();
}
