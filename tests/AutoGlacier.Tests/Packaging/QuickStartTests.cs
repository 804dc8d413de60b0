using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Packaging;

/// <summary>The README's first command, run as a new user would (HOME is a fresh directory).</summary>
public class QuickStartTests
{
    [Fact]
    public void QuickStart_backs_up_a_folder_and_its_printed_restore_command_works()
    {
        var root = Tool.RepoRoot();
        var quickStart = Directory.GetFiles(Path.Combine(root, "samples", "QuickStart", "bin"), "QuickStart.dll", SearchOption.AllDirectories).First();
        var cli = Directory.GetFiles(Path.Combine(root, "src", "AutoGlacier.Cli", "bin"), "AutoGlacier.Cli.dll", SearchOption.AllDirectories).First();
        using var home = new TempDir();
        var folder = home.Combine("Documents");
        home.Write("Documents/notes.txt", "quick start notes");
        var env = new Dictionary<string, string> { ["HOME"] = home.Path, ["AUTOGLACIER_PASSPHRASE"] = "quick start passphrase" };

        var run = Tool.Run("dotnet", [quickStart, folder], env: env, workingDirectory: home.Path);
        var output = System.Text.Encoding.UTF8.GetString(run.Stdout);
        Assert.True(run.ExitCode == 0, output + run.Stderr);
        Assert.Contains("OFF this machine", output);
        var restoreLine = output.Split('\n').Single(l => l.Contains(" restore --config ")).Trim();
        var restoreArgs = restoreLine[(restoreLine.IndexOf("restore", StringComparison.Ordinal))..].Split(' ');

        var restore = Tool.Run("dotnet", [cli, .. restoreArgs], env: env, workingDirectory: home.Path);
        Assert.True(restore.ExitCode == 0, System.Text.Encoding.UTF8.GetString(restore.Stdout) + restore.Stderr);
        Assert.Equal("quick start notes", File.ReadAllText(BackupWorld.Restored(home.Combine("restored"), Path.Combine(folder, "notes.txt"))));
    }
}
