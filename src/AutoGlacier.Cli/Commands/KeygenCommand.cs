using System.CommandLine;
using AutoGlacier.Cli.Output;
using AutoGlacier.Encryption;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier keygen</c>: writes an RSA key pair for encrypting backups.</summary>
internal static class KeygenCommand
{
    /// <summary>What to do with a new key pair (keygen and init print it).</summary>
    public const string KeyAdvice = "Keep the private key and its passphrase OFF the backup host (and a copy somewhere safe): " +
        "backups need only the public key; whoever has both can read every backup, and without them nothing can be restored.";

    public static Command Create(CliConsole console)
    {
        var privateKey = new Option<string>("--private-key") { Description = "Where to write the passphrase-protected private key (PKCS#8 PEM; a missing directory is created, owner-only). Keep it offline.", Required = true };
        var publicKey = new Option<string>("--public-key") { Description = "Where to write the public key (SubjectPublicKeyInfo PEM); the backup host needs only this", Required = true };
        var bits = new Option<int>("--bits") { Description = "RSA key size (>= 2048)", DefaultValueFactory = _ => 4096 };
        var command = new Command("keygen", "Create an RSA key pair. Passphrase: AUTOGLACIER_PASSPHRASE, else a hidden prompt.") { privateKey, publicKey, bits };
        command.SetAction((parsed, _) => console.RunAsync(async () =>
        {
            var passphrase = Passphrases.ForNewKey(console.Error);
            if (string.IsNullOrEmpty(passphrase))
            {
                return await console.UsageErrorAsync($"no passphrase: set {Passphrases.EnvironmentVariable} or run keygen in a terminal.").ConfigureAwait(false);
            }
            var (privatePath, publicPath) = (parsed.GetValue(privateKey)!, parsed.GetValue(publicKey)!);
            var key = KeyPairGenerator.Generate(privatePath, publicPath, passphrase, parsed.GetValue(bits));
            if (console.IsJson)
            {
                await console.WriteJsonAsync(new KeygenJson("keygen", ExitCodes.Success, Path.GetFullPath(privatePath), Path.GetFullPath(publicPath), key.Fingerprint),
                    CliJsonContext.Relaxed.KeygenJson).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            await console.Out.WriteLineAsync($"Wrote {publicPath} (fingerprint {key.Fingerprint}) and {privatePath}.").ConfigureAwait(false);
            await console.Out.WriteLineAsync(KeyAdvice).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
