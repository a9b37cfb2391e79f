using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Zero-knowledge step proofs ("ZKST" v6) for the tests: a step's tables, its two hiding chain commitments (one per
/// weight state, seeded: each state's randomness from a seed per step, so the next step recomputes the prover data it
/// opens) and the proof.
/// </summary>
internal static class ZeroKnowledgeSteps
{
    internal sealed record Step(QuantizedNetworkConfig Config, StepTables Tables, LigeroProverData Before, LigeroProverData After,
        byte[] Proof, Goldilocks[][] Salts, Goldilocks[][] Digests);

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

    /// <summary>The chain's seed of the weight state after step <paramref name="step"/> (step -1: the initial one).</summary>
    internal static byte[] Seed(int step) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 31 * (step + 1)))];

    /// <summary>The hiding commitment of a step's weight state before (or <paramref name="after"/>) it, seeded with <paramref name="seed"/>.</summary>
    internal static LigeroProverData State(QuantizedNetworkConfig config, StepTables tables, bool after, byte[] seed) =>
        SumcheckStep.CommitState(config, after ? tables.WeightsAfter : tables.Weights, [.. tables.BiasLayers.Select(l => (after ? tables.BiasesAfter : tables.Biases)[l])], seed);

    internal static StepTables Tables(QuantizedNetworkConfig config, QuantizedNetwork model, long[] inputs, int[] labels)
    {
        int layers = config.Network.Layers.Count;
        var weights = Enumerable.Range(0, layers).Select(l => model.Weights(l).ToArray()).ToArray();
        var biases = Enumerable.Range(0, layers).Select(l => config.Network.Layers[l].HasBias ? model.Biases(l).ToArray() : []).ToArray();
        return new StepTables(config, weights, biases, inputs, labels);
    }

    /// <summary>Proves step <paramref name="step"/> with hiding commitments before (seeds of step - 1) and after (seeds of step).</summary>
    internal static Step Prove(QuantizedNetworkConfig config, int step, QuantizedNetwork model, long[] inputs, int[] labels, Action<StepTables>? forge = null,
        LigeroProverData? before = null, LigeroProverData? after = null)
    {
        var tables = Tables(config, model, inputs, labels);
        forge?.Invoke(tables);
        var w = before ?? State(config, tables, false, Seed(step - 1));
        var wa = after ?? State(config, tables, true, Seed(step));
        var salts = Salts(config.BatchSize, step);
        var digests = Digests(config, Tables(config, model, inputs, labels), salts); // the data set's leaves: the honest rows'
        var proof = SumcheckStep.ProveZeroKnowledge(Digest(step), config, tables, w, wa, salts, forge is null ? null : digests);
        return new Step(config, tables, w, wa, proof, salts, digests);
    }

    internal static bool Verify(Step s, int step, byte[]? proof = null, Goldilocks[][]? digests = null, LigeroCommitment? before = null, LigeroCommitment? after = null) =>
        SumcheckStep.VerifyZeroKnowledge(Digest(step), s.Config, digests ?? s.Digests, before ?? s.Before.Commitment, after ?? s.After.Commitment, proof ?? s.Proof);
}
