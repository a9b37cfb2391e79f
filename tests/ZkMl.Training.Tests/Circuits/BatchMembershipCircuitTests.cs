using ZkMl.Circuits;
using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;
using ZkMl.Models;
using ZkMl.Training.Circuits;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Training.Tests.Circuits;

/// <summary>The data-set membership circuit, and its link to the SGD-step circuit through the batch commitment.</summary>
public class BatchMembershipCircuitTests
{
    [Fact]
    public void ProvesEveryBatchRowIsInTheCommittedDatasetAndLinksToTheStep()
    {
        var config = new QuantizedMlpConfig { InputSize = 3, HiddenSize = 2, OutputSize = 2, BatchSize = 2, FractionBits = 4, ValueBits = 12 };
        var rng = new Random(3);
        int rows = 5;
        var data = Enumerable.Range(0, rows * 3).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), 4)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(2)).ToArray();
        var salts = Enumerable.Range(0, rows).Select(_ => F.Random(rng)).ToArray();
        var sampleLeaves = Enumerable.Range(0, rows).Select(r => TrainingCommitments.SampleLeaf<F>(config, data.AsSpan(r * 3, 3), labels[r])).ToArray();
        var tree = new PoseidonMerkleTree<F>(sampleLeaves.Select((leaf, r) => BatchMembershipCircuit.SaltedLeaf(salts[r], leaf)).ToArray());
        int[] batchRows = [3, 1];
        var batchSalt = F.Random(rng);
        var step = SgdStepCircuit<F>.Build(config, new SgdStepInputs<F>([5, -7, 12, 3, 1, 2], [9, -4, 6, 11],
            batchRows.SelectMany(r => data.Skip(r * 3).Take(3)).ToArray(), batchRows.Select(r => labels[r]).ToArray(), F.One, F.Zero, batchSalt));

        var membership = BatchMembershipCircuit.Build(QuantizedNetworkConfig.FromMlp(config), rows, tree, salts, sampleLeaves, batchRows, batchSalt, step.BatchCommitment);
        Assert.True(membership.System.IsSatisfied(membership.Witness));
        Assert.Equal([tree.Root, step.BatchCommitment, .. batchRows.Select(r => F.FromUInt64((ulong)r))], membership.PublicValues);
        Assert.Equal(BatchMembershipCircuit.BuildShape(QuantizedNetworkConfig.FromMlp(config), rows).ConstraintCount, membership.System.ConstraintCount);

        // A batch row that is not the committed row cannot be proven.
        var forged = (F[])sampleLeaves.Clone();
        forged[1] += F.One;
        Assert.Throws<UnsatisfiedConstraintException>(() => BatchMembershipCircuit.Build(QuantizedNetworkConfig.FromMlp(config), rows, tree, salts, forged, batchRows, batchSalt, step.BatchCommitment));
        // Nor can the root or the batch commitment be swapped.
        for (int i = 1; i <= 2; i++)
        {
            var w = (F[])membership.Witness.Clone();
            w[i] += F.One;
            Assert.False(membership.System.IsSatisfied(w));
        }
    }
}
