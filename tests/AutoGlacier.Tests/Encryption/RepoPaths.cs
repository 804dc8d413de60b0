namespace AutoGlacier.Tests.Encryption;

/// <summary>Finds files of the repository from the test's bin directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string DecryptScript => Path.Combine(Root, "tools", "autoglacier-decrypt.py");

    public static string Vectors => Path.Combine(Root, "tests", "AutoGlacier.Tests", "Encryption", "Vectors");

    public static string FormatDoc => Path.Combine(Root, "docs", "FORMAT.md");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoGlacier.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AutoGlacier.sln not found above " + AppContext.BaseDirectory);
    }
}
