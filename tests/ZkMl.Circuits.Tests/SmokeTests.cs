using ZkMl.Tests.Shared;

namespace ZkMl.Circuits.Tests;

public class SmokeTests
{
    [Fact]
    public void NpmPeersAreInstalled()
    {
        Assert.True(File.Exists(NpmPeers.Circom2));
        Assert.True(File.Exists(NpmPeers.Snarkjs));
        Assert.True(Directory.Exists(NpmPeers.CircomlibCircuits));
    }
}
