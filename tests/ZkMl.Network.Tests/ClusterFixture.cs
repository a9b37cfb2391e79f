using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace ZkMl.Network.Tests;

/// <summary>An in-process cluster of two silos with in-memory run state, a test clock and a test beacon, shared by the tests of one class.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly ManualClock Clock = new();

    /// <summary>The beacon and board every silo (and the tests' verifiers) read.</summary>
    public static readonly TestBeacon Beacon = new();

    public static BeaconAccess BeaconAccess { get; } = new(Beacon, Beacon);

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.AddMemoryGrainStorage(NetworkHosting.StorageName);
            silo.AddZkMlNetwork();
            silo.AddZkMlBeacon(BeaconAccess);
        }
    }
}
