using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ZkMl.Network.Tests;

/// <summary>Silos of a Redis-backed cluster hosted in the test process (each its own host and ports) and a client of it.</summary>
public sealed class RedisSilos : IAsyncDisposable
{
    private readonly List<IHost> _silos = [];
    private IHost? _client;

    public IGrainFactory Grains => _client!.Services.GetRequiredService<IClusterClient>();

    public static async Task<RedisSilos> StartAsync(string redis, int silos)
    {
        var cluster = new RedisSilos();
        for (int i = 0; i < silos; i++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleans(s => s.UseZkMlRedis(redis, PrivateRedis.FreePort(), PrivateRedis.FreePort()));
            var host = builder.Build();
            await host.StartAsync();
            cluster._silos.Add(host);
        }
        var client = Host.CreateApplicationBuilder();
        client.Logging.ClearProviders();
        client.UseOrleansClient(c => c.UseZkMlRedis(redis));
        cluster._client = client.Build();
        await cluster._client.StartAsync();
        return cluster;
    }

    /// <summary>
    /// Stops every silo at once with an already-cancelled token (Orleans' ungraceful shutdown: the nearest an in-process
    /// test gets to a crash of the whole cluster), then the client.
    /// </summary>
    public async Task CrashAsync()
    {
        await Task.WhenAll(_silos.Select(s => s.StopAsync(new CancellationToken(canceled: true))));
        foreach (var silo in _silos) silo.Dispose();
        _silos.Clear();
        await DisposeAsync();
    }

    /// <summary>Stops the client, then every silo (each leaves the membership table as dead).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_client is not null) { await _client.StopAsync(new CancellationToken(canceled: _silos.Count == 0)); _client.Dispose(); _client = null; }
        foreach (var silo in _silos) { await silo.StopAsync(); silo.Dispose(); }
        _silos.Clear();
    }
}
