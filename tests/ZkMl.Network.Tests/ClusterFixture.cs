using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace ZkMl.Network.Tests;

/// <summary>An in-process cluster of two silos with in-memory run state and a test clock, shared by the tests of one class.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly ManualClock Clock = new();

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
        }
    }
}
