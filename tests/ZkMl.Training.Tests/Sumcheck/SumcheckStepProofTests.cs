using System.Collections.Immutable;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>Step proofs against <see cref="StepStatement"/>s: a 2-step chain verifies; another contract, step, batch, chain commitment or tampered bytes do not.</summary>
public class SumcheckStepProofTests
{
    /// <summary>The secret salt of the weights after step t - 1 (t = 0: the initial ones).</summary>
    internal static byte[] Salt(int t) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 7 * t + 1))];

    private static readonly QuantizedMlpConfig Config = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private static readonly long[][] Inputs = [[0, 1024, 512, 64], [1024, 1024, 0, 256], [768, 0, 1024, 1024], [128, 896, 64, 0], [5, 6, 7, 8]];
    private static readonly int[] Labels = [2, 0, 1, 1, 0];
    private static readonly int[][] Schedule = [[3, 1], [0, 4]];

    private sealed record Run(StepStatement[] Statements, byte[][] Proofs, QuantizedMlp[] Models);

    private static readonly Lazy<Run> Honest = new(() =>
    {
        var salts = ZeroKnowledgeSteps.Salts(Inputs.Length, 6);
        var tree = BatchMembership.Tree([.. Inputs.Select((x, i) => BatchMembership.Leaf(QuantizedNetworkConfig.FromMlp(Config), x, Labels[i], salts[i]))]);
        var contract = ImmutableArray.Create(Enumerable.Range(0, 32).Select(i => (byte)(i * 13)).ToArray());
        var models = new QuantizedMlp[Schedule.Length + 1];
        models[0] = QuantizedMlp.CreateInitial(Config, 21);
        var statements = new StepStatement[Schedule.Length];
        var proofs = new byte[Schedule.Length][];
        for (int step = 0; step < Schedule.Length; step++)
        {
            var batch = Schedule[step];
            long[] inputs = [.. batch.SelectMany(r => Inputs[r])];
            int[] labels = [.. batch.Select(r => Labels[r])];
            models[step + 1] = models[step].Clone();
            models[step + 1].TrainStep(inputs, labels);
            var before = SumcheckStepProof.WeightsCommitment(Config, models[step].Weights1, models[step].Weights2, Salt(step)).Digest;
            var after = SumcheckStepProof.WeightsCommitment(Config, models[step + 1].Weights1, models[step + 1].Weights2, Salt(step + 1)).Digest;
            statements[step] = new StepStatement(contract, step, [.. before], [.. after], [.. tree.Root], Inputs.Length, [.. batch]);
            proofs[step] = SumcheckStepProof.Prove(statements[step], models[step], inputs, labels, tree, [.. batch.Select(r => salts[r])], Salt(step), Salt(step + 1));
        }
        return new Run(statements, proofs, models);
    });

    [Fact]
    public void ATwoStepChainVerifies()
    {
        var run = Honest.Value;
        Assert.True(SumcheckStepProof.Verify(run.Statements[0], Config, run.Proofs[0]));
        Assert.True(SumcheckStepProof.Verify(run.Statements[1], Config, run.Proofs[1]));
        Assert.True(run.Statements[0].CommitmentAfter.SequenceEqual(run.Statements[1].CommitmentBefore));
    }

    [Fact]
    public void AnotherContractStepOrBatchIsRejected()
    {
        var run = Honest.Value;
        var s = run.Statements[0];
        var otherContract = s.ContractDigest.ToArray();
        otherContract[0] ^= 1;
        Assert.False(SumcheckStepProof.Verify(s with { ContractDigest = [.. otherContract] }, Config, run.Proofs[0]));
        Assert.False(SumcheckStepProof.Verify(s with { Step = 1 }, Config, run.Proofs[0]));
        Assert.False(SumcheckStepProof.Verify(run.Statements[1], Config, run.Proofs[0]));
        Assert.False(SumcheckStepProof.Verify(s with { Rows = [1, 3] }, Config, run.Proofs[0]));
        Assert.False(SumcheckStepProof.Verify(s with { Rows = [3, 2] }, Config, run.Proofs[0]));
    }

    [Fact]
    public void AnotherChainCommitmentIsRejected()
    {
        var run = Honest.Value;
        var s = run.Statements[0];
        var forged = run.Models[1].Clone();
        forged.TrainStep([.. Inputs[0], .. Inputs[1]], [0, 0]);
        var forgedAfter = SumcheckStepProof.WeightsCommitment(Config, forged.Weights1, forged.Weights2, Salt(1)).Digest;
        Assert.False(SumcheckStepProof.Verify(s with { CommitmentAfter = [.. forgedAfter] }, Config, run.Proofs[0]));
        Assert.False(SumcheckStepProof.Verify(s with { CommitmentBefore = run.Statements[1].CommitmentAfter }, Config, run.Proofs[0]));
    }

    [Fact]
    public void AProofOfAnotherFormatVersionIsRefused()
    {
        // v4 (one chain commitment per layer's table) and any other version number are refused by the header.
        var run = Honest.Value;
        foreach (ushort version in new ushort[] { 2, 3, 4, 6 })
        {
            var other = (byte[])run.Proofs[0].Clone();
            BitConverter.GetBytes(version).CopyTo(other, 4);
            Assert.False(SumcheckStepProof.Verify(run.Statements[0], Config, other));
        }
    }

    [Fact]
    public void AStepFromAnotherCommitmentOfTheSameWeightsDoesNotChain()
    {
        // Step 1 proven from the very weights step 0 produced, committed under another salt: it proves its own statement,
        // whose before state is not step 0's after state, so it is not the chain's step 1.
        var run = Honest.Value;
        var salts = ZeroKnowledgeSteps.Salts(Inputs.Length, 6);
        var tree = BatchMembership.Tree([.. Inputs.Select((x, i) => BatchMembership.Leaf(QuantizedNetworkConfig.FromMlp(Config), x, Labels[i], salts[i]))]);
        var batch = Schedule[1];
        var before = SumcheckStepProof.WeightsCommitment(Config, run.Models[1].Weights1, run.Models[1].Weights2, Salt(9)).Digest;
        var statement = run.Statements[1] with { CommitmentBefore = [.. before] };
        var proof = SumcheckStepProof.Prove(statement, run.Models[1], [.. batch.SelectMany(r => Inputs[r])], [.. batch.Select(r => Labels[r])], tree,
            [.. batch.Select(r => salts[r])], Salt(9), Salt(2));
        Assert.True(SumcheckStepProof.Verify(statement, Config, proof));
        Assert.False(SumcheckStepProof.Verify(run.Statements[1], Config, proof));
        Assert.False(run.Statements[0].CommitmentAfter.SequenceEqual(statement.CommitmentBefore));
    }

    [Fact]
    public void BitFlipsAndTruncationsAreRejected()
    {
        var run = Honest.Value;
        var proof = run.Proofs[1];
        var random = new Random(8);
        for (int i = 0; i < 16; i++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[i < 4 ? i : random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(SumcheckStepProof.Verify(run.Statements[1], Config, flipped));
        }
        Assert.False(SumcheckStepProof.Verify(run.Statements[1], Config, proof[..^1]));
        Assert.False(SumcheckStepProof.Verify(run.Statements[1], Config, [.. proof, 0]));
    }
}
