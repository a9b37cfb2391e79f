using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace ZkMl.Network;

/// <summary>
/// Silo and client configuration: the embedded default (localhost clustering, in-memory grain state, one machine, nothing to
/// install) and the durable one (Redis membership and grain state, e.g. Debian's <c>redis-server</c> with append-only fsync).
/// </summary>
public static class NetworkHosting
{
    /// <summary>The grain-storage provider name run grains persist to.</summary>
    public const string StorageName = "zkml";

    /// <summary>The Orleans cluster and service id.</summary>
    public const string ClusterId = "zkml";

    /// <summary>Services and limits every silo of the network needs (store-independent).</summary>
    public static ISiloBuilder AddZkMlNetwork(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = NetworkLimits.MaxMessageBodyBytes);
        return silo;
    }

    /// <summary>Lets the silo's run grains check beacon contracts' schedule seeds against <paramref name="beacon"/> (the silo's own access to the public beacon and board).</summary>
    public static ISiloBuilder AddZkMlBeacon(this ISiloBuilder silo, BeaconAccess beacon)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(beacon);
        silo.Services.AddSingleton(beacon);
        return silo;
    }

    /// <summary>One silo on this machine with in-memory state (lost when the process ends).</summary>
    public static ISiloBuilder UseZkMlEmbedded(this ISiloBuilder silo, int siloPort = 11111, int gatewayPort = 30000)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: ClusterId, clusterId: ClusterId);
        silo.AddMemoryGrainStorage(StorageName);
        return silo.AddZkMlNetwork();
    }

    /// <summary>A silo of a Redis-backed cluster: membership and run state in Redis at <paramref name="redis"/> (StackExchange.Redis configuration string).</summary>
    public static ISiloBuilder UseZkMlRedis(this ISiloBuilder silo, string redis, int siloPort, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrEmpty(redis);
        silo.UseRedisClustering(redis);
        silo.AddRedisGrainStorage(StorageName, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
        silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, siloPort, gatewayPort);
        silo.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ClusterId; });
        // Shorter probes than the defaults: a killed silo is declared dead in seconds, so its grains reactivate elsewhere.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
        return silo.AddZkMlNetwork();
    }

    /// <summary>A client of the embedded silo at <paramref name="gatewayPort"/>.</summary>
    public static IClientBuilder UseZkMlEmbedded(this IClientBuilder client, int gatewayPort = 30000)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.UseLocalhostClustering(gatewayPort, serviceId: ClusterId, clusterId: ClusterId);
        return client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = NetworkLimits.MaxMessageBodyBytes);
    }

    /// <summary>A client of a Redis-backed cluster.</summary>
    public static IClientBuilder UseZkMlRedis(this IClientBuilder client, string redis)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.UseRedisClustering(redis);
        client.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ClusterId; });
        return client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = NetworkLimits.MaxMessageBodyBytes);
    }
}
