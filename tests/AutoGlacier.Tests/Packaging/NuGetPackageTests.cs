using AutoGlacier.Tests.Support;

namespace AutoGlacier.Tests.Packaging;

/// <summary>Users reference AutoGlacier via NuGet: pack it, then build a console job against the packed feed.</summary>
public class NuGetPackageTests
{
    [Fact]
    public void A_console_job_builds_against_the_packed_library_and_the_tool_packs()
    {
        var root = Tool.RepoRoot();
        using var dir = new TempDir();
        var feed = dir.Combine("feed");
        foreach (var project in new[] { "src/AutoGlacier/AutoGlacier.csproj", "src/AutoGlacier.Cli/AutoGlacier.Cli.csproj" })
        {
            var pack = Tool.Run("dotnet", ["pack", Path.Combine(root, project), "-o", feed, "-p:PackageVersion=0.0.1-test", "--nologo"]);
            Assert.True(pack.ExitCode == 0, System.Text.Encoding.UTF8.GetString(pack.Stdout) + pack.Stderr);
        }
        Assert.True(File.Exists(Path.Combine(feed, "AutoGlacier.0.0.1-test.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, "AutoGlacier.Cli.0.0.1-test.nupkg")));

        var consumer = dir.Combine("consumer");
        dir.Write("consumer/Consumer.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="AutoGlacier" Version="0.0.1-test" /></ItemGroup>
            </Project>
            """);
        dir.Write("consumer/Program.cs", """
            using AutoGlacier;
            return Backup.Run().ExitCode;
            class Backup : GteuJob<Backup>
            {
                public override IEnumerable<string> Files => ["/etc/hostname"];
                public override string Description => "packaged";
            }
            """);
        // An isolated nuget.config: the packed feed first, plus the machine's usual sources for dependencies.
        dir.Write("consumer/nuget.config", $"""
            <configuration><packageSources><add key="packed" value="{feed}" /></packageSources></configuration>
            """);
        var build = Tool.Run("dotnet", ["build", consumer, "--nologo"], workingDirectory: consumer,
            env: new Dictionary<string, string> { ["NUGET_PACKAGES"] = dir.Combine("packages") });
        Assert.True(build.ExitCode == 0, System.Text.Encoding.UTF8.GetString(build.Stdout) + build.Stderr);
    }
}
