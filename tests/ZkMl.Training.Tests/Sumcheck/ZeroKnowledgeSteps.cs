using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Zero-knowledge step proofs ("ZKST" v4) for the tests: a step's tables, its hiding chain commitments (seeded: every
/// commitment's randomness from a seed per step, layer and role, so the next step recomputes the prover data it opens)
/// and the proof.
/// </summary>
internal static class ZeroKnowledgeSteps
{
    internal sealed record Step(QuantizedNetworkConfig Config, StepTables Tables, LigeroProverData[] W, LigeroProverData[] WAfter,
        LigeroProverData[] B, LigeroProverData[] BAfter, byte[] Proof, Goldilocks[][] Salts, Goldilocks[][] Digests);

    /// <summary>The batch rows' secret salts of step <paramref name="step"/> (seeded: reproducible in tests only).</summary>
    internal static Goldilocks[][] Salts(int batch, int step)
    {
        var random = new Random(1000 + step);
        return [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, BatchMembership.SaltElements)
            .Select(_ => Goldilocks.FromUInt64((ulong)random.NextInt64() % Goldilocks.P)).ToArray())];
    }

    /// <summary>The batch rows' digests (the data set's leaves) for <paramref name="tables"/> and <paramref name="salts"/>.</summary>
    internal static Goldilocks[][] Digests(QuantizedNetworkConfig config, StepTables tables, Goldilocks[][] salts) => SpongeMembership.Digests(config, tables, salts);

    internal static byte[] Digest(int step) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i + 17 * step))];

    /// <summary>The chain's seed of the parameters after step <paramref name="step"/> (step -1: the initial ones), per layer and kind.</summary>
    internal static byte[] Seed(int step, int layer, bool bias) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 31 * (step + 1) + 3 * layer + (bias ? 101 : 0)))];

    internal static StepTables Tables(QuantizedNetworkConfig config, QuantizedNetwork model, long[] inputs, int[] labels)
    {
        int layers = config.Network.Layers.Count;
        var weights = Enumerable.Range(0, layers).Select(l => model.Weights(l).ToArray()).ToArray();
        var biases = Enumerable.Range(0, layers).Select(l => config.Network.Layers[l].HasBias ? model.Biases(l).ToArray() : []).ToArray();
        return new StepTables(config, weights, biases, inputs, labels);
    }

    /// <summary>Proves step <paramref name="step"/> with hiding commitments before (seeds of step - 1) and after (seeds of step).</summary>
    internal static Step Prove(QuantizedNetworkConfig config, int step, QuantizedNetwork model, long[] inputs, int[] labels, Action<StepTables>? forge = null,
        LigeroProverData[]? before = null)
    {
        var tables = Tables(config, model, inputs, labels);
        forge?.Invoke(tables);
        int layers = config.Network.Layers.Count;
        var bl = tables.BiasLayers;
        var w = before ?? [.. Enumerable.Range(0, layers).Select(l => SumcheckStep.CommitHiding(tables.Weights[l], Seed(step - 1, l, false)))];
        var wa = Enumerable.Range(0, layers).Select(l => SumcheckStep.CommitHiding(tables.WeightsAfter[l], Seed(step, l, false))).ToArray();
        var b = bl.Select(l => SumcheckStep.CommitHiding(tables.Biases[l], Seed(step - 1, l, true))).ToArray();
        var ba = bl.Select(l => SumcheckStep.CommitHiding(tables.BiasesAfter[l], Seed(step, l, true))).ToArray();
        var salts = Salts(config.BatchSize, step);
        var digests = Digests(config, Tables(config, model, inputs, labels), salts); // the data set's leaves: the honest rows'
        var proof = SumcheckStep.Prove(Digest(step), config, tables, w, wa, b, ba, zeroKnowledge: true, salts: salts, digests: forge is null ? null : digests);
        return new Step(config, tables, w, wa, b, ba, proof, salts, digests);
    }

    internal static bool Verify(Step s, int step, byte[]? proof = null, Goldilocks[][]? digests = null, LigeroCommitment[]? w = null, LigeroCommitment[]? wAfter = null) =>
        SumcheckStep.VerifyZeroKnowledge(Digest(step), s.Config, digests ?? s.Digests, w ?? [.. s.W.Select(c => c.Commitment)], wAfter ?? [.. s.WAfter.Select(c => c.Commitment)],
            [.. s.B.Select(c => c.Commitment)], [.. s.BAfter.Select(c => c.Commitment)], proof ?? s.Proof);
}
