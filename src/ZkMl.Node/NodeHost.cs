using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZkMl.Network;

namespace ZkMl.Node;

/// <summary>Starts a silo or connects a client, to the embedded cluster (localhost gateway) or a Redis-backed one.</summary>
internal static class NodeHost
{
    public static IHost Silo(string? redis, int siloPort, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder();
        Quiet(builder.Logging);
        builder.UseOrleans(silo =>
        {
            if (redis is null) silo.UseZkMlEmbedded(siloPort, gatewayPort);
            else silo.UseZkMlRedis(redis, siloPort, gatewayPort);
        });
        return builder.Build();
    }

    /// <summary>A started client; retries for <paramref name="patience"/> while no gateway answers.</summary>
    public static async Task<(IHost Host, IGrainFactory Grains)> Client(string? redis, int gatewayPort, TimeSpan patience, CancellationToken cancel)
    {
        var stop = DateTime.UtcNow + patience;
        while (true)
        {
            var builder = Host.CreateApplicationBuilder();
            Quiet(builder.Logging);
            builder.UseOrleansClient(client =>
            {
                if (redis is null) client.UseZkMlEmbedded(gatewayPort);
                else client.UseZkMlRedis(redis);
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync(cancel);
                return (host, host.Services.GetRequiredService<IClusterClient>());
            }
            catch (Exception) when (DateTime.UtcNow < stop && !cancel.IsCancellationRequested)
            {
                host.Dispose();
                await Task.Delay(500, cancel);
            }
        }
    }

    private static void Quiet(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("ZkMl", LogLevel.Information);
        logging.AddFilter("Orleans", LogLevel.Error);
    }
}
