namespace AutoGlacier.Configuration;

/// <summary>Path rules of the configuration file: "~/" is the home directory, relative paths are relative to the file.</summary>
internal static class ConfigPaths
{
    /// <summary>Expands a leading "~" and makes <paramref name="path"/> absolute against <paramref name="baseDirectory"/>.</summary>
    public static string Resolve(string path, string baseDirectory)
    {
        string expanded = ExpandHome(path);
        return Path.GetFullPath(Path.IsPathRooted(expanded) ? expanded : Path.Combine(baseDirectory, expanded));
    }

    /// <summary>"~" and "~/…" (or "~\…") become the user's home directory; "~user" forms are left alone.</summary>
    public static string ExpandHome(string path)
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (path == "~")
        {
            return home;
        }

        return path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(home, path[2..])
            : path;
    }
}
