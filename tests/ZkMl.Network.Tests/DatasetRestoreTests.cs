using ZkMl.Models;
using ZkMl.Training;

namespace ZkMl.Network.Tests;

/// <summary>A farm's prover machines share one dataset commitment through its exported salts (zkml-node prover).</summary>
public sealed class DatasetRestoreTests
{
    [Fact]
    public void RestoredCommitmentHasTheSameRootAndWrongSaltsAreRefused()
    {
        var net = TinyRun.Network;
        var data = new QuantizedDataset(net.InputSize, new long[8 * net.InputSize], [0, 1, 2, 0, 1, 2, 0, 1]);
        var original = DatasetCommitment.Create(data, net, Backend.Stark);
        var salts = original.ExportSalts();
        Assert.True(DatasetCommitment.Restore(data, net, Backend.Stark, salts).Root.Span.SequenceEqual(original.Root.Span));
        salts[0] ^= 1;
        Assert.False(DatasetCommitment.Restore(data, net, Backend.Stark, salts).Root.Span.SequenceEqual(original.Root.Span));
        Assert.Throws<ArgumentException>(() => DatasetCommitment.Restore(data, net, Backend.Stark, salts[..^1]));
    }
}
