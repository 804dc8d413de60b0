using System.CommandLine;
using AutoGlacier.Cli.Output;
using AutoGlacier.LocalGlacier;

namespace AutoGlacier.Cli.Commands;

/// <summary><c>autoglacier local-glacier</c>: runs the Glacier-compatible test server until Ctrl+C.</summary>
internal static class LocalGlacierCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 9180 };
        var dir = new Option<string>("--dir") { Description = "Directory for vaults, archives, uploads and jobs (created if missing)", Required = true };
        var accessKey = new Option<string>("--access-key") { Description = "The access key id clients must sign with", DefaultValueFactory = _ => "AKIDLOCALGLACIER" };
        var secretKey = new Option<string>("--secret-key") { Description = "The secret key signatures are verified with", DefaultValueFactory = _ => "local-glacier-secret" };
        var jobDelay = new Option<int>("--job-delay-seconds") { Description = "How long retrieval and inventory jobs stay InProgress", DefaultValueFactory = _ => 0 };
        var faults = new Option<string[]>("--fault") { Description = "Inject a fault: Operation:N:kind[:times[:delayMs]], kind 500, 503, throttle, timeout, drop or slow (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("local-glacier", "Run a Glacier-compatible server on 127.0.0.1 to test jobs offline (set ENDPOINT_URL to its address).")
        {
            port, dir, accessKey, secretKey, jobDelay, faults,
        };
        command.SetAction((parsed, cancellationToken) => console.RunAsync(async () =>
        {
            List<FaultRule> rules;
            try
            {
                rules = (parsed.GetValue(faults) ?? []).Select(FaultRule.Parse).ToList();
            }
            catch (FormatException ex)
            {
                return await console.UsageErrorAsync(ex.Message).ConfigureAwait(false);
            }

            await using LocalGlacierServer server = await LocalGlacierServer.StartAsync(new LocalGlacierOptions
            {
                DataDirectory = parsed.GetValue(dir)!,
                Port = parsed.GetValue(port),
                AccessKey = parsed.GetValue(accessKey)!,
                SecretKey = parsed.GetValue(secretKey)!,
                JobDelay = TimeSpan.FromSeconds(parsed.GetValue(jobDelay)),
                Faults = rules,
            }, cancellationToken).ConfigureAwait(false);
            if (console.IsJson)
            {
                // Printed once the server listens, so a script can read the endpoint and go on while it runs.
                await console.WriteJsonAsync(new LocalGlacierJson("local-glacier", ExitCodes.Success, server.Endpoint.ToString(), Path.GetFullPath(parsed.GetValue(dir)!)),
                    CliJsonContext.Relaxed.LocalGlacierJson).ConfigureAwait(false);
            }
            else
            {
                await console.Out.WriteLineAsync($"local-glacier listening on {server.Endpoint} (data in {Path.GetFullPath(parsed.GetValue(dir)!)}).").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"Use ENDPOINT_URL = \"{server.Endpoint}\", AWS_ACCESS_KEY_ID = \"{parsed.GetValue(accessKey)}\" and the secret key you chose. Ctrl+C stops.").ConfigureAwait(false);
            }
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or the caller's cancellation: a normal stop.
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
