using System.Security.Cryptography;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// One step proof against a <see cref="StepStatement"/> (format "ZKSP" v2: the Ligero commitments of W1, W2 before and
/// after, then the length-prefixed <see cref="BatchMembership"/> proof, which gives the verifier the batch, and the
/// <see cref="SumcheckStep"/> proof for that batch, seeded with SHA-256 of the whole statement). The chain's weight commitment is SHA-256 of the two Ligero
/// commitments of W1 and W2 (<see cref="WeightsCommitment"/>); the verifier recomputes both from the proof and compares
/// them with the statement's before and after commitments, so consecutive steps open the same Ligero commitments.
/// </summary>
internal static class SumcheckStepProof
{
    private const string Magic = "ZKSP";
    private const ushort FormatVersion = 2;
    private const uint MaxPartBytes = 1 << 29;

    /// <summary>The Ligero commitments of the padded W1, W2 and the chain's 32-byte digest of them.</summary>
    internal static (LigeroProverData W1, LigeroProverData W2, byte[] Digest) WeightsCommitment(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2)
    {
        var shape = StepTables.ShapesFor(c)[1];
        var first = StepTables.ShapesFor(c)[0];
        var c1 = SumcheckStep.Commit(RescaledProduct.Pad(w1, c.HiddenSize, c.InputSize, first.PaddedColumns, first.PaddedInner));
        var c2 = SumcheckStep.Commit(RescaledProduct.Pad(w2, c.OutputSize, c.HiddenSize, shape.PaddedColumns, shape.PaddedInner));
        return (c1, c2, Digest(c1.Commitment, c2.Commitment));
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
    internal static byte[] Prove(StepStatement statement, QuantizedMlp before, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels,
        Blake3MerkleTree tree, IReadOnlyList<byte[]> salts)
    {
        var c = before.Config;
        StepTables tables;
        using (SumcheckTelemetry.Telemetry.Phase("witness")) tables = new StepTables(c, before.Weights1, before.Weights2, inputs, labels);
        var (w1, w2, _) = WeightsCommitment(c, before.Weights1, before.Weights2);
        var (w1After, w2After) = (SumcheckStep.Commit(tables.W1After), SumcheckStep.Commit(tables.W2After));
        byte[] membership;
        using (SumcheckTelemetry.Telemetry.Phase("membership")) membership = BatchMembership.Prove(c, statement.Rows, tree, inputs, labels, salts);
        var step = SumcheckStep.Prove(StatementDigest(statement), c, tables, w1, w2, w1After, w2After);
        var writer = new ProofWriter(Magic, FormatVersion);
        foreach (var committed in new[] { w1, w2, w1After, w2After }) committed.Commitment.WriteTo(writer);
        foreach (var part in new[] { membership, step })
        {
            writer.WriteUInt32((uint)part.Length);
            writer.WriteBytes(part);
        }
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="proof"/> proves <paramref name="statement"/>; malformed bytes give false.</summary>
    internal static bool Verify(StepStatement statement, QuantizedMlpConfig c, ReadOnlySpan<byte> proof)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(c);
        try
        {
            var reader = new ProofReader(proof, Magic, FormatVersion);
            var commitments = new LigeroCommitment[4];
            for (int i = 0; i < commitments.Length; i++) commitments[i] = LigeroCommitment.ReadFrom(ref reader);
            var membership = reader.ReadBytes((int)reader.ReadUInt32(MaxPartBytes));
            var step = reader.ReadBytes((int)reader.ReadUInt32(MaxPartBytes));
            reader.EnsureEnd();
            var (w1, w2, w1After, w2After) = (commitments[0], commitments[1], commitments[2], commitments[3]);
            var shapes = StepTables.ShapesFor(c);
            if (w1.Variables != shapes[0].ColumnVariables + shapes[0].InnerVariables || w2.Variables != shapes[1].ColumnVariables + shapes[1].InnerVariables
                || w1After.Variables != w1.Variables || w2After.Variables != w2.Variables)
                return false;
            if (!Digest(w1, w2).AsSpan().SequenceEqual(statement.CommitmentBefore.AsSpan())) return false;
            if (!Digest(w1After, w2After).AsSpan().SequenceEqual(statement.CommitmentAfter.AsSpan())) return false;
            if (!BatchMembership.Verify(c, statement.DatasetRoot.AsSpan(), statement.DatasetRows, statement.Rows, membership, out var inputs, out var labels)) return false;
            var (x, t) = StepTables.Batch(c, inputs, labels);
            return SumcheckStep.Verify(StatementDigest(statement), c, x, t, w1, w2, w1After, w2After, step);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static byte[] Digest(LigeroCommitment w1, LigeroCommitment w2)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        writer.WriteBytes("ZkMl.Sumcheck.Weights v1"u8);
        w1.WriteTo(writer);
        w2.WriteTo(writer);
        return SHA256.HashData(writer.ToArray());
    }
}
