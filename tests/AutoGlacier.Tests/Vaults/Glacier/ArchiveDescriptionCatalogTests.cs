using AutoGlacier.Vaults;
using AutoGlacier.Vaults.Glacier;

namespace AutoGlacier.Tests.Vaults.Glacier;

/// <summary>Glacier descriptions that mark snapshot catalogs, beside the archives' descriptions of every earlier version.</summary>
public sealed class ArchiveDescriptionCatalogTests
{
    [Fact]
    public void A_catalogs_description_is_marked_in_plain_sight_and_decodes_as_a_catalog()
    {
        string encoded = ArchiveDescriptionCodec.Encode("1764232671.482113", "Zürich 📦", empty: false, VaultObjectKind.Catalog);

        ArchiveDescriptionPayload payload = ArchiveDescriptionCodec.TryDecode(encoded)!;
        Assert.StartsWith("AG1-catalog:", encoded, StringComparison.Ordinal);
        Assert.All(encoded, c => Assert.InRange(c, (char)0x20, (char)0x7E));
        Assert.Equal((VaultObjectKind.Catalog, "1764232671.482113", "Zürich 📦"), (payload.Kind, payload.RunKey, payload.Description));
    }

    [Fact]
    public void An_archives_description_is_written_as_before_and_old_descriptions_still_decode_as_archives()
    {
        // Written by a version before catalogs: {"k":"1700000000.5","d":"old backup"} under AG1:.
        const string old = "AG1:eyJrIjoiMTcwMDAwMDAwMC41IiwiZCI6Im9sZCBiYWNrdXAifQ";

        ArchiveDescriptionPayload payload = ArchiveDescriptionCodec.TryDecode(old)!;
        Assert.Equal((VaultObjectKind.Archive, "1700000000.5", "old backup"), (payload.Kind, payload.RunKey, payload.Description));
        Assert.Equal(old, ArchiveDescriptionCodec.Encode("1700000000.5", "old backup", empty: false, VaultObjectKind.Archive));
        Assert.Equal((null, "AG1catalog: not ours"), ArchiveDescriptionCodec.Decode("AG1catalog: not ours"));
    }

    [Fact]
    public void A_long_catalog_description_is_shortened_to_Glaciers_limit_and_keeps_its_mark()
    {
        string encoded = ArchiveDescriptionCodec.Encode("1", new string('x', 2000), empty: false, VaultObjectKind.Catalog);

        Assert.InRange(encoded.Length, 1, ArchiveDescriptionCodec.MaxLength);
        ArchiveDescriptionPayload payload = ArchiveDescriptionCodec.TryDecode(encoded)!;
        Assert.True(payload.Truncated);
        Assert.Equal(VaultObjectKind.Catalog, payload.Kind);
    }
}
