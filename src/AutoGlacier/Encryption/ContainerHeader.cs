using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AutoGlacier.Encryption;

/// <summary>
/// The container header: magic, version, chunk size and recipients. <see cref="Bytes"/> are the exact bytes on disk;
/// their SHA-256 is the associated data of every chunk, so no header byte can change without every chunk failing.
/// </summary>
internal sealed class ContainerHeader
{
    private ContainerHeader(byte[] bytes, int chunkSize, IReadOnlyList<RecipientEntry> recipients)
    {
        Bytes = bytes;
        ChunkSize = chunkSize;
        Recipients = recipients;
        AssociatedData = SHA256.HashData(bytes);
    }

    public byte[] Bytes { get; }
    public int ChunkSize { get; }
    public IReadOnlyList<RecipientEntry> Recipients { get; }

    /// <summary>SHA-256 of <see cref="Bytes"/>: a fixed 32 bytes per chunk however many recipients there are.</summary>
    public byte[] AssociatedData { get; }

    public static ContainerHeader Create(int chunkSize, IReadOnlyList<RecipientEntry> recipients)
    {
        var size = ContainerFormat.FixedHeaderSize + recipients.Sum(r => ContainerFormat.FingerprintSize + 2 + r.WrappedKey.Length);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        ContainerFormat.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], ContainerFormat.Version);
        BinaryPrimitives.WriteUInt32BigEndian(span[14..], (uint)chunkSize);
        BinaryPrimitives.WriteUInt16BigEndian(span[18..], (ushort)recipients.Count);
        var at = ContainerFormat.FixedHeaderSize;
        foreach (var recipient in recipients)
        {
            recipient.Fingerprint.CopyTo(span[at..]);
            at += ContainerFormat.FingerprintSize;
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)recipient.WrappedKey.Length);
            at += 2;
            recipient.WrappedKey.CopyTo(span[at..]);
            at += recipient.WrappedKey.Length;
        }
        return new ContainerHeader(bytes, chunkSize, recipients);
    }

    /// <summary>Reads and validates a header from the start of <paramref name="input"/>, consuming exactly its bytes.</summary>
    /// <exception cref="ArchiveIntegrityException">Not a container, unsupported version, out-of-range field, or cut short.</exception>
    public static ContainerHeader Read(Stream input)
    {
        var reader = new HeaderFieldReader(input);
        var magic = reader.Take(ContainerFormat.Magic.Length, "magic");
        if (!magic.AsSpan().SequenceEqual(ContainerFormat.Magic))
        {
            throw new ArchiveIntegrityException(
                "This is not an AutoGlacier encrypted archive (the first 12 bytes are not the AutoGlacier magic). " +
                "Check that you gave the archive file itself, downloaded in binary mode.");
        }

        var version = reader.UInt16("format version");
        if (version != ContainerFormat.Version)
        {
            throw new ArchiveIntegrityException(
                $"The archive uses encryption format version {version}; this build reads version {ContainerFormat.Version}. " +
                "Use a newer AutoGlacier, or the matching tools/autoglacier-decrypt.py; if the archive should be version 1, it is damaged: try another copy.");
        }

        var chunkSize = ValidChunkSize(reader.UInt32("chunk size"));
        var recipients = ReadRecipients(reader);
        return new ContainerHeader(reader.ConsumedBytes(), chunkSize, recipients);
    }

    private static int ValidChunkSize(uint chunkSize)
    {
        if (chunkSize is < ContainerFormat.MinChunkSize or > ContainerFormat.MaxChunkSize)
        {
            throw new ArchiveIntegrityException(
                $"The archive header gives a chunk size of {chunkSize} bytes, outside {ContainerFormat.MinChunkSize}..{ContainerFormat.MaxChunkSize}: " +
                "the archive was modified or is damaged; try another copy.");
        }
        return (int)chunkSize;
    }

    private static List<RecipientEntry> ReadRecipients(HeaderFieldReader reader)
    {
        int count = reader.UInt16("recipient count");
        if (count is < 1 or > ContainerFormat.MaxRecipients)
        {
            throw new ArchiveIntegrityException(
                $"The archive header gives {count} recipients (expected 1..{ContainerFormat.MaxRecipients}): the archive was modified or is damaged; try another copy.");
        }

        var recipients = new List<RecipientEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var fingerprint = reader.Take(ContainerFormat.FingerprintSize, $"recipient {i} fingerprint");
            int length = reader.UInt16($"recipient {i} wrapped key length");
            if (length is < ContainerFormat.MinWrappedKeySize or > ContainerFormat.MaxWrappedKeySize)
            {
                throw new ArchiveIntegrityException(
                    $"Recipient {i} in the archive header has a wrapped key of {length} bytes (expected {ContainerFormat.MinWrappedKeySize}..{ContainerFormat.MaxWrappedKeySize}): " +
                    "the archive was modified or is damaged; try another copy.");
            }
            recipients.Add(new RecipientEntry(fingerprint, reader.Take(length, $"recipient {i} wrapped key")));
        }
        return recipients;
    }
}
