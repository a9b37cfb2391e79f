using System.Collections.Immutable;
using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Under an insecure seeded <see cref="RandomSource"/> (tests only) a step proof is a function of its inputs: the
/// prover's parallel phases (witness, chain, membership, sponge trace, tables) may not change a byte, whatever the
/// threads' interleaving. A change that keeps the proof's bytes is checked by comparing a seeded proof's hash before
/// and after it (the benchmark's ZKML_SUMCHECK_SEED).
/// </summary>
public class StepProofReproducibilityTests
{
    // Three layers, a bias, a batch of 8 padded rows: every parallel phase runs more than one chunk's worth of rows.
    private static readonly QuantizedNetworkConfig Config =
        new(new NetworkDescription(20, [new DenseLayer(12, true), new DenseLayer(8, false), new DenseLayer(4, true)])) { BatchSize = 8 };
    private const int Rows = 12;

    private static (StepStatement Statement, byte[] Proof) Prove(ulong seed)
    {
        using var scope = RandomSource.UseInsecureSeeded(seed);
        var rng = new Random(3);
        var inputs = Enumerable.Range(0, Rows).Select(_ => Enumerable.Range(0, Config.Network.InputSize).Select(_ => (long)rng.Next(0, 1025)).ToArray()).ToArray();
        int[] labels = [.. Enumerable.Range(0, Rows).Select(_ => rng.Next(Config.Network.OutputSize))];
        var salts = ZeroKnowledgeSteps.Salts(Rows, 0);
        var tree = BatchMembership.Tree([.. inputs.Select((x, i) => BatchMembership.Leaf(Config, x, labels[i], salts[i]))]);
        int[] batch = [5, 0, 7, 11, 2, 9, 3, 6];
        var model = QuantizedNetwork.CreateInitial(Config, 4);
        long[] x = [.. batch.SelectMany(r => inputs[r])];
        int[] y = [.. batch.Select(r => labels[r])];
        var after = model.Clone();
        after.TrainStep(x, y);
        byte[] saltBefore = SumcheckStepProofTests.Salt(0), saltAfter = SumcheckStepProofTests.Salt(1);
        var statement = new StepStatement(ImmutableArray.Create(new byte[32]), 0,
            [.. SumcheckStepProof.WeightsCommitment(model, saltBefore).Digest], [.. SumcheckStepProof.WeightsCommitment(after, saltAfter).Digest],
            [.. tree.Root], Rows, [.. batch]);
        return (statement, SumcheckStepProof.Prove(statement, model, x, y, tree, [.. batch.Select(r => salts[r])], saltBefore, saltAfter));
    }

    [Fact]
    public void ASeededStepProofIsReproducible()
    {
        var (statement, first) = Prove(11);
        var (_, second) = Prove(11);
        Assert.True(SumcheckStepProof.Verify(statement, Config, first));
        Assert.Equal(first, second);
        // The masks come from the seeded source: another seed, other bytes.
        Assert.NotEqual(first, Prove(12).Proof);
    }
}
