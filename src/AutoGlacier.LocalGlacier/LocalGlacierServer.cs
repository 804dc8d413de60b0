using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoGlacier.LocalGlacier;

/// <summary>
/// A Glacier-compatible server on 127.0.0.1 that keeps vaults on disk, verifies SigV4 signatures, tree hashes and
/// the multipart rules, completes jobs after a configurable delay and injects configured faults. For offline tests
/// of backup jobs; not a production service.
/// </summary>
public sealed class LocalGlacierServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FaultInjector _faults;

    private LocalGlacierServer(WebApplication app, FaultInjector faults, int port)
    {
        _app = app;
        _faults = faults;
        Port = port;
    }

    /// <summary>The port the server listens on (the chosen one when started with port 0).</summary>
    public int Port { get; }

    /// <summary>The endpoint URL to give clients, e.g. http://127.0.0.1:PORT.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts a server; dispose it (or call <see cref="StopAsync"/>) to stop.</summary>
    public static async Task<LocalGlacierServer> StartAsync(LocalGlacierOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new StoreLayout(options.DataDirectory);
        var faults = new FaultInjector(options.Faults);
        var dispatcher = new GlacierDispatcher(options, layout, faults);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = layout.Root });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = null; // parts reach 4 GiB
            kestrel.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        app.Run(dispatcher.HandleAsync);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalGlacierServer(app, faults, new Uri(address).Port);
    }

    /// <summary>Adds a fault rule while running (requests are counted from the server's start).</summary>
    public void AddFault(FaultRule rule) => _faults.Add(rule);

    /// <summary>Removes every fault rule.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>How many requests of <paramref name="operation"/> arrived so far (<c>*</c> for all).</summary>
    public int RequestCount(string operation) => _faults.Count(operation);

    /// <summary>Waits until the server stops (Ctrl+C or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting requests and finishes the ones in flight.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Requests still in flight get a short grace period, then their connections are aborted: a request held by a
    /// <see cref="FaultKind.Slow"/> fault whose client went away would otherwise hold the stop for the host's 30 s.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(grace.Token);
        }

        await _app.DisposeAsync();
    }
}
