using System.Collections.Immutable;
using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Groth16;

/// <summary>Proves a few honest steps at the backend seam, each bound to a statement (digest, step, commitments, root, rows).</summary>
internal static class SeamChain
{
    internal static List<(StepStatement Statement, byte[] Proof)> Prove(IStepProver prover, DatasetCommitment data, QuantizedMlp initial,
        byte[] digest, IReadOnlyList<int[]> batches)
    {
        var steps = new List<(StepStatement, byte[])>();
        var model = initial.Clone();
        var salt = prover.NewSalt();
        for (int t = 0; t < batches.Count; t++)
        {
            var next = model.Clone();
            next.Train(data.Data, [batches[t]]);
            var nextSalt = prover.NewSalt();
            var statement = new StepStatement([.. digest], t, [.. prover.CommitWeights(QuantizedNetwork.FromMlp(model), salt)], [.. prover.CommitWeights(QuantizedNetwork.FromMlp(next), nextSalt)],
                [.. data.Root.Span], data.RowCount, [.. batches[t]]);
            steps.Add((statement, prover.ProveStep(statement, QuantizedNetwork.FromMlp(model), salt, nextSalt, data)));
            (model, salt) = (next, nextSalt);
        }
        return steps;
    }

    /// <summary>A Groth16 contract for <paramref name="network"/> and <paramref name="data"/> pinning <paramref name="keys"/>.</summary>
    internal static TrainingContract Contract(QuantizedMlpConfig network, DatasetCommitment data, Groth16VerifyingKeys keys) =>
        Tests.Contract.ContractSamples.Groth16().WithNetwork(network) with
        {
            StepVerifyingKeySha256 = keys.StepSha256,
            MembershipVerifyingKeySha256 = keys.MembershipSha256,
            DatasetRoot = [.. data.Root.Span],
            DatasetRows = data.RowCount,
        };

    internal static StepStatement WithRows(this StepStatement s, params int[] rows) => s with { Rows = ImmutableArray.Create(rows) };
}
