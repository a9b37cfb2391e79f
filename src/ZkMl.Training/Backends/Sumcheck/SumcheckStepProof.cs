using System.Security.Cryptography;
using ZkMl.Common;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// One step proof against a <see cref="StepStatement"/> (format "ZKSP" v5: the hiding Ligero commitment of the weight
/// state before, then of the state after (each ONE commitment to every layer's weights and biases at the aligned offsets
/// of <see cref="WeightStateLayout"/>), then the length-prefixed <see cref="BatchMembership"/> proof ("ZKBM" v3), which
/// gives the verifier the batch rows' salted Poseidon digests (never the rows), and the zero-knowledge
/// <see cref="SumcheckStep"/> proof ("ZKST" v7) that the rows it trains on hash to them, seeded with SHA-256 of the whole statement).
/// The chain's weight commitment is SHA-256 of the state's one hiding Ligero commitment
/// (<see cref="WeightsCommitment(QuantizedNetworkConfig, IReadOnlyList{long[]}, IReadOnlyList{long[]}, ReadOnlySpan{byte})"/>),
/// its randomness derived from the weight state's 32-byte secret salt, so the prover of the next step recomputes the
/// prover data it opens; the verifier recomputes the digests from the proof and compares them with the statement's
/// before and after commitments, so consecutive steps open the same Ligero commitment (slot 0 by the step that consumes
/// the state, slot 1 by the step that produced it). Formats v2 (not zero knowledge), v3 (batch rows in the clear) and v4
/// (one commitment per layer's weights and per bias) are refused by their version.
/// </summary>
internal static class SumcheckStepProof
{
    internal const string Magic = "ZKSP";
    internal const ushort FormatVersion = 5;

    /// <summary>Bytes of a weight state's salt (<see cref="SumcheckBackend"/>'s <c>NewSalt</c>).</summary>
    internal const int SaltBytes = 32;
    private const uint MaxPartBytes = 1 << 29;

    /// <summary>
    /// The weight state's ONE hiding Ligero commitment (<see cref="SumcheckStep.CommitState"/>) to every layer's padded
    /// weights and the padded biases of every layer with one (<paramref name="biases"/>: one entry per layer, ignored for
    /// a layer without bias), its randomness from <paramref name="salt"/> (<see cref="SaltBytes"/> secret bytes), and the
    /// chain's 32-byte digest of it.
    /// </summary>
    /// <exception cref="ArgumentException">The salt is not <see cref="SaltBytes"/> bytes.</exception>
    internal static (LigeroProverData State, byte[] Digest) WeightsCommitment(QuantizedNetworkConfig c,
        IReadOnlyList<long[]> weights, IReadOnlyList<long[]> biases, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != SaltBytes) throw new ArgumentException($"A sumcheck weight commitment takes a {SaltBytes}-byte salt; got {salt.Length} bytes.", nameof(salt));
        var shapes = StepTables.ShapesFor(c);
        var padded = new long[weights.Count][];
        for (int l = 0; l < padded.Length; l++)
        {
            var shape = shapes[StepTables.Forward(l)];
            padded[l] = RescaledProduct.Pad(weights[l], c.Network.Layers[l].Width, c.Network.FanIn(l), shape.PaddedColumns, shape.PaddedInner);
        }
        var paddedBiases = StepTables.BiasLayersOf(c)
            .Select(l => RescaledProduct.Pad(biases[l], 1, c.Network.Layers[l].Width, 1, shapes[StepTables.Forward(l)].PaddedColumns)).ToArray();
        var state = SumcheckStep.CommitState(c, padded, paddedBiases, Seed(salt));
        return (state, Digest(state.Commitment));
    }

    /// <summary>The seed of a weight state's commitment: SHA-256 of a label and the salt.</summary>
    private static byte[] Seed(ReadOnlySpan<byte> salt)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        writer.WriteBytes("ZkMl.Sumcheck.StateSeed v1"u8);
        writer.WriteBytes(salt);
        return SHA256.HashData(writer.ToArray());
    }

    /// <summary>The commitment and digest of a network's parameters (<see cref="WeightsCommitment(QuantizedNetworkConfig, IReadOnlyList{long[]}, IReadOnlyList{long[]}, ReadOnlySpan{byte})"/>).</summary>
    internal static (LigeroProverData State, byte[] Digest) WeightsCommitment(QuantizedNetwork model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = Enumerable.Range(0, model.Network.Layers.Count);
        return WeightsCommitment(model.Config, [.. layers.Select(l => model.Weights(l).ToArray())], [.. layers.Select(l => model.Biases(l).ToArray())], salt);
    }

    /// <summary>A network without biases.</summary>
    internal static (LigeroProverData State, byte[] Digest) WeightsCommitment(QuantizedNetworkConfig c, IReadOnlyList<long[]> weights, ReadOnlySpan<byte> salt)
    {
        if (StepTables.BiasLayersOf(c).Length > 0) throw new ArgumentException($"Network {c.Network} has biases: commit them too.", nameof(c));
        return WeightsCommitment(c, weights, [], salt);
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static (LigeroProverData State, byte[] Digest) WeightsCommitment(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2, ReadOnlySpan<byte> salt) =>
        WeightsCommitment(QuantizedNetworkConfig.FromMlp(c), [w1.ToArray(), w2.ToArray()], salt);

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
        LigeroProverData committed = null!, after = null!;
        using (SumcheckTelemetry.Telemetry.Phase("chain"))
        {
            var afterWeights = Enumerable.Range(0, c.Network.Layers.Count).Select(l => StepTables.Unpad(tables.WeightsAfter[l], c.Network.Layers[l].Width, c.Network.FanIn(l),
                tables.Shapes[StepTables.Forward(l)].PaddedInner)).ToArray();
            var afterBiases = Enumerable.Range(0, c.Network.Layers.Count).Select(l => tables.BiasLayers.Contains(l)
                ? tables.BiasesAfter[l][..c.Network.Layers[l].Width] : []).ToArray();
            // The two states' commitments are independent (each its own seeded randomness): side by side.
            byte[] first = saltBefore.ToArray(), next = saltAfter.ToArray();
            Parallelism.Invoke(
                () => (committed, _) = WeightsCommitment(c, weights, biases, first),
                () => (after, _) = WeightsCommitment(c, afterWeights, afterBiases, next));
        }
        byte[] membership;
        ZkMl.Field.Goldilocks[][] digests;
        using (SumcheckTelemetry.Telemetry.Phase("membership"))
        {
            if (salts.Count != labels.Length) throw new ArgumentException("One salt per batch row.", nameof(salts));
            digests = new ZkMl.Field.Goldilocks[labels.Length][];
            long[] rows = inputs.ToArray();
            int[] rowLabels = labels.ToArray();
            int n = c.Network.InputSize;
            // Rows hash independently; a row the data set refuses throws its typed exception, not an aggregate.
            Parallelism.For(0, rowLabels.Length, b => digests[b] = BatchMembership.RowDigest(c, rows.AsSpan(b * n, n), rowLabels[b], salts[b]));
            membership = BatchMembership.Prove(statement.Rows, tree, digests);
        }
        var step = SumcheckStep.ProveZeroKnowledge(StatementDigest(statement), c, tables, committed, after, salts, digests);
        var writer = new ProofWriter(Magic, FormatVersion);
        committed.Commitment.WriteTo(writer);
        after.Commitment.WriteTo(writer);
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
        try
        {
            var reader = new ProofReader(proof, Magic, FormatVersion);
            var before = LigeroCommitment.ReadFrom(ref reader);
            var after = LigeroCommitment.ReadFrom(ref reader);
            var membership = reader.ReadBytes((int)reader.ReadUInt32(MaxPartBytes));
            var step = reader.ReadBytes((int)reader.ReadUInt32(MaxPartBytes));
            reader.EnsureEnd();
            // The states' shapes are pinned by the step verifier (WeightStateLayout); the digests bind them to the chain.
            if (!Digest(before).AsSpan().SequenceEqual(statement.CommitmentBefore.AsSpan())) return false;
            if (!Digest(after).AsSpan().SequenceEqual(statement.CommitmentAfter.AsSpan())) return false;
            if (!BatchMembership.Verify(c, statement.DatasetRoot.AsSpan(), statement.DatasetRows, statement.Rows, membership, out var digests)) return false;
            return SumcheckStep.VerifyZeroKnowledge(StatementDigest(statement), c, digests, before, after, step);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static bool Verify(StepStatement statement, QuantizedMlpConfig c, ReadOnlySpan<byte> proof) =>
        Verify(statement, QuantizedNetworkConfig.FromMlp(c), proof);

    /// <summary>The chain's digest of a weight state: SHA-256 of a label and its one commitment (root and shape).</summary>
    private static byte[] Digest(LigeroCommitment state)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        writer.WriteBytes("ZkMl.Sumcheck.WeightState v1"u8);
        state.WriteTo(writer);
        return SHA256.HashData(writer.ToArray());
    }
}
