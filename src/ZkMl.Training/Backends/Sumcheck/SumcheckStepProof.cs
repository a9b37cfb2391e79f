using System.Security.Cryptography;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// One step proof against a <see cref="StepStatement"/> (format "ZKSP" v2: the Ligero commitments of every layer's weights
/// before, then after, then those of every layer's bias (layers with one only) before, then after, then the length-prefixed <see cref="BatchMembership"/> proof, which gives the verifier the batch, and the
/// <see cref="SumcheckStep"/> proof for that batch, seeded with SHA-256 of the whole statement). The chain's weight commitment
/// is SHA-256 of the Ligero commitments of W_1..W_L, then of the biases b_l of the layers that have one
/// (<see cref="WeightsCommitment(QuantizedNetworkConfig, IReadOnlyList{long[]}, IReadOnlyList{long[]})"/>); the verifier
/// recomputes both from the proof and compares them with the statement's before and after commitments, so consecutive
/// steps open the same Ligero commitments. For a network without biases the bytes are those it had before biases were
/// proven (for two layers: two-layer v2 proofs).
/// </summary>
internal static class SumcheckStepProof
{
    private const string Magic = "ZKSP";
    private const ushort FormatVersion = 2;
    private const uint MaxPartBytes = 1 << 29;

    /// <summary>
    /// The Ligero commitments of every layer's padded weights and of the padded biases of every layer with one
    /// (<paramref name="biases"/>: one entry per layer, ignored for a layer without bias), and the chain's 32-byte digest of them.
    /// </summary>
    internal static (LigeroProverData[] Weights, LigeroProverData[] Biases, byte[] Digest) WeightsCommitment(QuantizedNetworkConfig c,
        IReadOnlyList<long[]> weights, IReadOnlyList<long[]> biases)
    {
        var shapes = StepTables.ShapesFor(c);
        var committed = new LigeroProverData[weights.Count];
        for (int l = 0; l < committed.Length; l++)
        {
            var shape = shapes[StepTables.Forward(l)];
            committed[l] = SumcheckStep.Commit(RescaledProduct.Pad(weights[l], c.Network.Layers[l].Width, c.Network.FanIn(l), shape.PaddedColumns, shape.PaddedInner));
        }
        var bias = StepTables.BiasLayersOf(c)
            .Select(l => SumcheckStep.Commit(RescaledProduct.Pad(biases[l], 1, c.Network.Layers[l].Width, 1, shapes[StepTables.Forward(l)].PaddedColumns))).ToArray();
        return (committed, bias, Digest([.. committed.Concat(bias).Select(w => w.Commitment)]));
    }

    /// <summary>The commitments and digest of a network's parameters (<see cref="WeightsCommitment(QuantizedNetworkConfig, IReadOnlyList{long[]}, IReadOnlyList{long[]})"/>).</summary>
    internal static (LigeroProverData[] Weights, LigeroProverData[] Biases, byte[] Digest) WeightsCommitment(QuantizedNetwork model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = Enumerable.Range(0, model.Network.Layers.Count);
        return WeightsCommitment(model.Config, [.. layers.Select(l => model.Weights(l).ToArray())], [.. layers.Select(l => model.Biases(l).ToArray())]);
    }

    /// <summary>A network without biases.</summary>
    internal static (LigeroProverData[] Weights, byte[] Digest) WeightsCommitment(QuantizedNetworkConfig c, IReadOnlyList<long[]> weights)
    {
        if (StepTables.BiasLayersOf(c).Length > 0) throw new ArgumentException($"Network {c.Network} has biases: commit them too.", nameof(c));
        var (w, _, digest) = WeightsCommitment(c, weights, []);
        return (w, digest);
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static (LigeroProverData W1, LigeroProverData W2, byte[] Digest) WeightsCommitment(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2)
    {
        var (w, digest) = WeightsCommitment(QuantizedNetworkConfig.FromMlp(c), [w1.ToArray(), w2.ToArray()]);
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

    /// <summary>Proves <paramref name="statement"/> for weights <paramref name="before"/> and the batch rows (with their salts).</summary>
    internal static byte[] Prove(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels,
        Blake3MerkleTree tree, IReadOnlyList<byte[]> salts)
    {
        var c = before.Config;
        var weights = Enumerable.Range(0, c.Network.Layers.Count).Select(l => before.Weights(l).ToArray()).ToArray();
        var biases = Enumerable.Range(0, c.Network.Layers.Count).Select(l => before.Biases(l).ToArray()).ToArray();
        StepTables tables;
        using (SumcheckTelemetry.Telemetry.Phase("witness")) tables = new StepTables(c, weights, biases, inputs, labels);
        var (committed, committedBiases, _) = WeightsCommitment(c, weights, biases);
        var after = tables.WeightsAfter.Select(SumcheckStep.Commit).ToArray();
        var biasesAfter = tables.BiasLayers.Select(l => SumcheckStep.Commit(tables.BiasesAfter[l])).ToArray();
        byte[] membership;
        using (SumcheckTelemetry.Telemetry.Phase("membership")) membership = BatchMembership.Prove(c, statement.Rows, tree, inputs, labels, salts);
        var step = SumcheckStep.Prove(StatementDigest(statement), c, tables, committed, after, committedBiases, biasesAfter);
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
        Blake3MerkleTree tree, IReadOnlyList<byte[]> salts) => Prove(statement, QuantizedNetwork.FromMlp(before), inputs, labels, tree, salts);

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
            if (!BatchMembership.Verify(c, statement.DatasetRoot.AsSpan(), statement.DatasetRows, statement.Rows, membership, out var inputs, out var labels)) return false;
            var (x, t) = StepTables.Batch(c, inputs, labels);
            return SumcheckStep.Verify(StatementDigest(statement), c, x, t, before, after, biasesBefore, biasesAfter, step);
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
