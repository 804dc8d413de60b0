using System.Reflection;
using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Packaging;

/// <summary>
/// The public API is pinned in src/AutoGlacier/PublicAPI.Shipped.txt (PublicApiAnalyzers fails the build on any
/// difference). These tests check the pin is still in force from the other side: the compiled assembly exports exactly
/// the types the file lists, and none of the internals a NuGet user must not build on.
/// </summary>
public class PublicApiTests
{
    private static readonly Assembly Library = typeof(GteuJob).Assembly;

    [Fact]
    public void The_assembly_exports_exactly_the_types_PublicAPI_Shipped_lists()
    {
        var exported = Library.GetExportedTypes().Select(ApiName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(ShippedTypeNames(), exported);
    }

    [Theory]
    [InlineData("AutoGlacier.Gathering.Gatherer")]
    [InlineData("AutoGlacier.Hashing.ArchiveHashingStream")]
    [InlineData("AutoGlacier.Hashing.TreeHash")]
    [InlineData("AutoGlacier.Vaults.Glacier.ArchiveDescriptionCodec")]
    [InlineData("AutoGlacier.Vaults.S3.S3ClientFactory")]
    [InlineData("AutoGlacier.Vaults.S3.S3Limits")]
    [InlineData("AutoGlacier.Vaults.Local.LocalVault")]
    [InlineData("AutoGlacier.Log.RunDocument")]
    [InlineData("AutoGlacier.Log.FileRecordSpool")]
    [InlineData("AutoGlacier.Restore.SafeTargetPath")]
    public void Internals_stay_internal(string typeName)
    {
        Type type = Library.GetType(typeName, throwOnError: true)!;

        Assert.False(type.IsVisible, $"{typeName} is public; it is an implementation detail (see docs/ARCHITECTURE.md)");
    }

    [Fact]
    public void The_log_is_readable_but_not_writable_through_the_public_API()
    {
        var methods = typeof(AutoGlacier.Log.JsonRunLog).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => m.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "ListRunsAsync", "GetRunAsync", "ReadFilesAsync" }, methods);
        Assert.DoesNotContain("StartRunAsync", methods);
        Assert.DoesNotContain("CompleteRunAsync", methods);
    }

    /// <summary>The type lines of PublicAPI.Shipped.txt: those that declare no member (no <c>-&gt;</c>, no <c>(</c>).</summary>
    private static List<string> ShippedTypeNames() =>
        File.ReadAllLines(Path.Combine(Tool.RepoRoot(), "src", "AutoGlacier", "PublicAPI.Shipped.txt"))
            .Where(line => line.StartsWith("AutoGlacier.", StringComparison.Ordinal) && !line.Contains("->", StringComparison.Ordinal)
                           && !line.Contains('(', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A type's name as the API file writes it: nested types with '.', generics as <c>Name&lt;T&gt;</c>.</summary>
    private static string ApiName(Type type)
    {
        string name = type.FullName!.Replace('+', '.');
        if (!type.IsGenericTypeDefinition) { return name; }
        return name[..name.IndexOf('`', StringComparison.Ordinal)] + "<" + string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) + ">";
    }
}
