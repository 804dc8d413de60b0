using System.CommandLine;
using AutoGlacier.Encryption;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier keygen</c>: writes an RSA key pair for encrypting backups.</summary>
internal static class KeygenCommand
{
    public static Command Create(CliConsole console)
    {
        var privateKey = new Option<string>("--private-key") { Description = "Where to write the passphrase-protected private key (PKCS#8 PEM). Keep it offline.", Required = true };
        var publicKey = new Option<string>("--public-key") { Description = "Where to write the public key (SubjectPublicKeyInfo PEM); the backup host needs only this", Required = true };
        var bits = new Option<int>("--bits") { Description = "RSA key size (>= 2048)", DefaultValueFactory = _ => 4096 };
        var command = new Command("keygen", "Create an RSA key pair. Passphrase: AUTOGLACIER_PASSPHRASE, else a hidden prompt.") { privateKey, publicKey, bits };
        command.SetAction((parsed, _) => console.RunAsync(async () =>
        {
            var passphrase = Passphrases.ForNewKey(console.Error);
            if (string.IsNullOrEmpty(passphrase))
            {
                await console.Error.WriteLineAsync($"error: no passphrase: set {Passphrases.EnvironmentVariable} or run keygen in a terminal.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var key = KeyPairGenerator.Generate(parsed.GetValue(privateKey)!, parsed.GetValue(publicKey)!, passphrase, parsed.GetValue(bits));
            await console.Out.WriteLineAsync($"Wrote {parsed.GetValue(publicKey)} (fingerprint {key.Fingerprint}) and {parsed.GetValue(privateKey)}.").ConfigureAwait(false);
            await console.Out.WriteLineAsync("Put the public key path in PUBL_RSA_KEY_PATH. Keep the private key and its passphrase OFF the backup host: whoever has both can read every backup.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
