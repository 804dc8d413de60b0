using AutoGlacier.Cli;

namespace AutoGlacier.Tests.Support;

/// <summary>Runs the <c>autoglacier</c> command line in-process and captures its output.</summary>
internal static class CliRun
{
    public static async Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliApp.InvokeAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
