using System.Security.Cryptography;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// One step proof against a <see cref="StepStatement"/> (format "ZKSP" v4: the hiding Ligero commitments of every layer's
/// weights before, then after, then those of every layer's bias (layers with one only) before, then after, then the
/// length-prefixed <see cref="BatchMembership"/> proof ("ZKBM" v3), which gives the verifier the batch rows' salted
/// Poseidon digests (never the rows), and the zero-knowledge <see cref="SumcheckStep"/> proof ("ZKST" v6) that the rows it
/// trains on hash to them, seeded with SHA-256 of the whole statement).
/// The chain's weight commitment is SHA-256 of the hiding Ligero commitments of W_1..W_L, then of the biases b_l of the
/// layers that have one (<see cref="WeightsCommitment(QuantizedNetworkConfig, IReadOnlyList{long[]}, IReadOnlyList{long[]}, ReadOnlySpan{byte})"/>),
/// every commitment's randomness derived from the weight state's 32-byte secret salt, so the prover of the next step
/// recomputes the prover data it opens; the verifier recomputes the digests from the proof and compares them with the
/// statement's before and after commitments, so consecutive steps open the same Ligero commitments (slot 0 by the step
/// that consumes the weights, slot 1 by the step that produced them). Formats v2 (not zero knowledge) and v3 (batch rows
/// in the clear) are refused by their version.
/// </summary>
internal static class SumcheckStepProof
{
    internal const string Magic = "ZKSP";
    internal const ushort FormatVersion = 4;

    /// <summary>Bytes of a weight state's salt (<see cref="SumcheckBackend"/>'s <c>NewSalt</c>).</summary>
    internal const int SaltBytes = 32;
    private const uint MaxPartBytes = 1 << 29;

    /// <summary>
    /// The hiding Ligero commitments (<see cref="SumcheckStep.CommitHiding"/>) of every layer's padded weights and of the
    /// padded biases of every layer with one (<paramref name="biases"/>: one entry per layer, ignored for a layer without
    /// bias), their randomness from <paramref name="salt"/> (<see cref="SaltBytes"/> secret bytes), and the chain's 32-byte digest of them.
    /// </summary>
    /// <exception cref="ArgumentException">The salt is not <see cref="SaltBytes"/> bytes.</exception>
    internal static (LigeroProverData[] Weights, LigeroProverData[] Biases, byte[] Digest) WeightsCommitment(QuantizedNetworkConfig c,
        IReadOnlyList<long[]> weights, IReadOnlyList<long[]> biases, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != SaltBytes) throw new ArgumentException($"A sumcheck weight commitment takes a {SaltBytes}-byte salt; got {salt.Length} bytes.", nameof(salt));
        var shapes = StepTables.ShapesFor(c);
        var committed = new LigeroProverData[weights.Count];
        for (int l = 0; l < committed.Length; l++)
        {
            var shape = shapes[StepTables.Forward(l)];
            committed[l] = SumcheckStep.CommitHiding(RescaledProduct.Pad(weights[l], c.Network.Layers[l].Width, c.Network.FanIn(l), shape.PaddedColumns, shape.PaddedInner),
                Seed(salt, l, false));
        }
        var biasLayers = StepTables.BiasLayersOf(c);
        var bias = new LigeroProverData[biasLayers.Length];
        for (int k = 0; k < bias.Length; k++)
        {
            int l = biasLayers[k];
            bias[k] = SumcheckStep.CommitHiding(RescaledProduct.Pad(biases[l], 1, c.Network.Layers[l].Width, 1, shapes[StepTables.Forward(l)].PaddedColumns), Seed(salt, l, true));
        }
        return (committed, bias, Digest([.. committed.Concat(bias).Select(w => w.Commitment)]));
    }

    /// <summary>The seed of layer <paramref name="layer"/>'s weight (or bias) commitment: SHA-256 of a label, the salt, the kind and the layer.</summary>
    private static byte[] Seed(ReadOnlySpan<byte> salt, int layer, bool bias)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        writer.WriteBytes("ZkMl.Sumcheck.WeightSeed v1"u8);
        writer.WriteBytes(salt);
        writer.WriteByte(bias ? (byte)1 : (byte)0);
        writer.WriteUInt32((uint)layer);
        return SHA256.HashData(writer.ToArray());
    }

    /// <summary>The commitments and digest of a network's parameters (<see cref="WeightsCommitment(QuantizedNetworkConfig, IReadOnlyList{long[]}, IReadOnlyList{long[]}, ReadOnlySpan{byte})"/>).</summary>
    internal static (LigeroProverData[] Weights, LigeroProverData[] Biases, byte[] Digest) WeightsCommitment(QuantizedNetwork model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = Enumerable.Range(0, model.Network.Layers.Count);
        return WeightsCommitment(model.Config, [.. layers.Select(l => model.Weights(l).ToArray())], [.. layers.Select(l => model.Biases(l).ToArray())], salt);
    }

    /// <summary>A network without biases.</summary>
    internal static (LigeroProverData[] Weights, byte[] Digest) WeightsCommitment(QuantizedNetworkConfig c, IReadOnlyList<long[]> weights, ReadOnlySpan<byte> salt)
    {
        if (StepTables.BiasLayersOf(c).Length > 0) throw new ArgumentException($"Network {c.Network} has biases: commit them too.", nameof(c));
        var (w, _, digest) = WeightsCommitment(c, weights, [], salt);
        return (w, digest);
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static (LigeroProverData W1, LigeroProverData W2, byte[] Digest) WeightsCommitment(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2, ReadOnlySpan<byte> salt)
    {
        var (w, digest) = WeightsCommitment(QuantizedNetworkConfig.FromMlp(c), [w1.ToArray(), w2.ToArray()], salt);
        return (w[0], w[1], digest);
    }

    /// <summary>SHA-256 of every field of the statement: the seed of the step's transcript.</summary>
    internal static byte[] StatementDigest(StepStatement s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var writer = new ProofWriter(Magic, FormatVersion);
        foreach (var bytes in new[] { s.ContractDigest, s.CommitmentBefore, s.CommitmentAfter, s.DatasetRoot })
        {
            writer.WriteUInt32((uint)bytes.Length);
            writer.WriteBytes(bytes.AsSpan());
        }
        writer.WriteUInt32((uint)s.Step);
        writer.WriteUInt32((uint)s.DatasetRows);
        writer.WriteUInt32((uint)s.Rows.Length);
        foreach (int row in s.Rows) writer.WriteUInt32((uint)row);
        return SHA256.HashData(writer.ToArray());
    }

    /// <summary>
    /// Proves <paramref name="statement"/> for weights <paramref name="before"/> (committed with <paramref name="saltBefore"/>),
    /// the weights after the step (committed with <paramref name="saltAfter"/>) and the batch rows (with their salts).
    /// </summary>
    internal static byte[] Prove(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels,
        Blake3MerkleTree tree, IReadOnlyList<ZkMl.Field.Goldilocks[]> salts, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter)
    {
        var c = before.Config;
        var weights = Enumerable.Range(0, c.Network.Layers.Count).Select(l => before.Weights(l).ToArray()).ToArray();
        var biases = Enumerable.Range(0, c.Network.Layers.Count).Select(l => before.Biases(l).ToArray()).ToArray();
        StepTables tables;
        using (SumcheckTelemetry.Telemetry.Phase("witness")) tables = new StepTables(c, weights, biases, inputs, labels);
        LigeroProverData[] committed, committedBiases, after, biasesAfter;
        using (SumcheckTelemetry.Telemetry.Phase("chain"))
        {
            (committed, committedBiases, _) = WeightsCommitment(c, weights, biases, saltBefore);
            var afterWeights = Enumerable.Range(0, c.Network.Layers.Count).Select(l => StepTables.Unpad(tables.WeightsAfter[l], c.Network.Layers[l].Width, c.Network.FanIn(l),
                tables.Shapes[StepTables.Forward(l)].PaddedInner)).ToArray();
            var afterBiases = Enumerable.Range(0, c.Network.Layers.Count).Select(l => tables.BiasLayers.Contains(l)
                ? tables.BiasesAfter[l][..c.Network.Layers[l].Width] : []).ToArray();
            (after, biasesAfter, _) = WeightsCommitment(c, afterWeights, afterBiases, saltAfter);
        }
        byte[] membership;
        ZkMl.Field.Goldilocks[][] digests;
        using (SumcheckTelemetry.Telemetry.Phase("membership"))
        {
            if (salts.Count != labels.Length) throw new ArgumentException("One salt per batch row.", nameof(salts));
            digests = new ZkMl.Field.Goldilocks[labels.Length][];
            for (int b = 0; b < labels.Length; b++)
                digests[b] = BatchMembership.RowDigest(c, inputs.Slice(b * c.Network.InputSize, c.Network.InputSize), labels[b], salts[b]);
            membership = BatchMembership.Prove(statement.Rows, tree, digests);
        }
        var step = SumcheckStep.Prove(StatementDigest(statement), c, tables, committed, after, committedBiases, biasesAfter, zeroKnowledge: true, salts: salts, digests: digests);
        var writer = new ProofWriter(Magic, FormatVersion);
        foreach (var w in committed.Concat(after).Concat(committedBiases).Concat(biasesAfter)) w.Commitment.WriteTo(writer);
        foreach (var part in new[] { membership, step })
        {
            writer.WriteUInt32((uint)part.Length);
            writer.WriteBytes(part);
        }
        return writer.ToArray();
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlp"/>).</summary>
    internal static byte[] Prove(StepStatement statement, QuantizedMlp before, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels,
        Blake3MerkleTree tree, IReadOnlyList<ZkMl.Field.Goldilocks[]> salts, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter) =>
        Prove(statement, QuantizedNetwork.FromMlp(before), inputs, labels, tree, salts, saltBefore, saltAfter);

    /// <summary>True when <paramref name="proof"/> proves <paramref name="statement"/>; malformed bytes give false.</summary>
    internal static bool Verify(StepStatement statement, QuantizedNetworkConfig c, ReadOnlySpan<byte> proof)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(c);
        int layers = c.Network.Layers.Count;
        var biasLayers = StepTables.BiasLayersOf(c);
        int nb = biasLayers.Length;
        try
        {
            var reader = new ProofReader(proof, Magic, FormatVersion);
            var commitments = new LigeroCommitment[2 * layers + 2 * nb];
            for (int i = 0; i < commitments.Length; i++) commitments[i] = LigeroCommitment.ReadFrom(ref reader);
            var membership = reader.ReadBytes((int)reader.ReadUInt32(MaxPartBytes));
            var step = reader.ReadBytes((int)reader.ReadUInt32(MaxPartBytes));
            reader.EnsureEnd();
            var (before, after) = (commitments[..layers], commitments[layers..(2 * layers)]);
            var (biasesBefore, biasesAfter) = (commitments[(2 * layers)..(2 * layers + nb)], commitments[(2 * layers + nb)..]);
            var shapes = StepTables.ShapesFor(c);
            for (int l = 0; l < layers; l++)
                if (before[l].Variables != SumcheckStep.WeightVariables(shapes, l) || after[l].Variables != before[l].Variables) return false;
            for (int k = 0; k < nb; k++)
                if (biasesBefore[k].Variables != SumcheckStep.BiasVariables(shapes, biasLayers[k]) || biasesAfter[k].Variables != biasesBefore[k].Variables) return false;
            if (!Digest([.. before, .. biasesBefore]).AsSpan().SequenceEqual(statement.CommitmentBefore.AsSpan())) return false;
            if (!Digest([.. after, .. biasesAfter]).AsSpan().SequenceEqual(statement.CommitmentAfter.AsSpan())) return false;
            if (!BatchMembership.Verify(c, statement.DatasetRoot.AsSpan(), statement.DatasetRows, statement.Rows, membership, out var digests)) return false;
            return SumcheckStep.VerifyZeroKnowledge(StatementDigest(statement), c, digests, before, after, biasesBefore, biasesAfter, step);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static bool Verify(StepStatement statement, QuantizedMlpConfig c, ReadOnlySpan<byte> proof) =>
        Verify(statement, QuantizedNetworkConfig.FromMlp(c), proof);

    private static byte[] Digest(IReadOnlyList<LigeroCommitment> weights)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        writer.WriteBytes("ZkMl.Sumcheck.Weights v1"u8);
        foreach (var w in weights) w.WriteTo(writer);
        return SHA256.HashData(writer.ToArray());
    }
}
