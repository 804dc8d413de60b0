using System.Text;

namespace AutoGlacier.Cli;

/// <summary>
/// Where passphrases come from: the AUTOGLACIER_PASSPHRASE environment variable (automation), else a hidden prompt
/// on an interactive terminal. They are never echoed or logged.
/// </summary>
internal static class Passphrases
{
    public const string EnvironmentVariable = "AUTOGLACIER_PASSPHRASE";

    /// <summary>For a new key: env var, or prompt twice. Null when neither is possible.</summary>
    public static string? ForNewKey(TextWriter prompt)
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv)) { return fromEnv; }
        if (Console.IsInputRedirected) { return null; }
        var first = ReadHidden(prompt, "Passphrase for the new private key: ");
        var second = ReadHidden(prompt, "Repeat the passphrase: ");
        return first == second ? first : throw new AutoGlacierException("The two passphrases differ; nothing was written.");
    }

    /// <summary>For an existing key: the config's RSA_PASSPHRASE, the env var, or a prompt; null if none.</summary>
    public static string? ForExistingKey(string? fromConfig, TextWriter prompt)
    {
        if (!string.IsNullOrEmpty(fromConfig)) { return fromConfig; }
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnv)) { return fromEnv; }
        return Console.IsInputRedirected ? null : ReadHidden(prompt, "Private key passphrase: ");
    }

    private static string ReadHidden(TextWriter prompt, string message)
    {
        prompt.Write(message);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) { break; }
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) { text.Length--; } continue; }
            text.Append(key.KeyChar);
        }
        prompt.WriteLine();
        return text.ToString();
    }
}
