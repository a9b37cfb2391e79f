using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The arithmetic of one two-layer SGD step (docs/fixed-point.md) proven through Ligero commitments: given commitments
/// to the batch (X, T), the weights before (W1, W2) and after (W1', W2'), a proof (format "ZKST" v1: the nine
/// intermediate commitments Z1, S, H, Z2, E, Q, D, Delta2, Delta1, then ten length-prefixed block proofs) shows
/// Z1 = Rescale_f(X W1^T), S = [Z1 &gt; 0], H = S Z1, Z2 = Rescale_f(H W2^T), E = Z2 - T, Q = Rescale_f(E W2), D = S Q,
/// Delta2 = Rescale_{f+s}(eta E^T H), Delta1 = Rescale_{f+s}(eta D^T X), W' = W - Delta, every quotient and W' in B bits.
/// Every block's transcript is seeded with SHA-256 of the caller's statement digest, all fifteen commitments and the
/// block's index, so a proof is bound to its statement, its commitments and its position.
/// Not covered here: that X and T are the scheduled rows of the data set (membership), and zero knowledge
/// (docs/sumcheck-step.md). Where Q's range differs from the reference (the reference range-checks Rescale_f(g) only
/// where z1 &gt; 0), an honest step with a huge g at an inactive unit cannot be proven (completeness, not soundness).
/// </summary>
internal static class SumcheckStep
{
    private const string Magic = "ZKST";
    private const ushort FormatVersion = 1;
    private const int Intermediates = 9;
    private const int Blocks = 10;
    private const uint MaxBlockBytes = 1 << 28;

    /// <summary>
    /// The Ligero parameters of every commitment of a step proof: rate 1/4, 371 queries (111.1 bits per opening), so that
    /// 53 + batch openings and the algebraic terms stay below 2^-100 for batches up to 1024 (<see cref="SumcheckSoundness"/>).
    /// </summary>
    internal static LigeroParameters Parameters { get; } = new(2, 371, false);

    /// <summary>A non-hiding Ligero commitment to a padded integer table (deterministic).</summary>
    internal static LigeroProverData Commit(long[] table) => LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(table));

    /// <summary>
    /// Proves the step whose tables are <paramref name="tables"/>, for the committed batch (<paramref name="x"/>, <paramref name="t"/>),
    /// weights before (<paramref name="w1"/>, <paramref name="w2"/>) and after (<paramref name="w1After"/>, <paramref name="w2After"/>).
    /// </summary>
    internal static byte[] Prove(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig config, StepTables tables,
        LigeroProverData x, LigeroProverData t, LigeroProverData w1, LigeroProverData w2, LigeroProverData w1After, LigeroProverData w2After)
    {
        var tb = tables;
        var inter = new[] { tb.Z1, tb.S, tb.H, tb.Z2, tb.E, tb.Q, tb.D, tb.Delta2, tb.Delta1 }.Select(Commit).ToArray();
        var (z1, s, h, z2, e, q, d, d2, d1) = (inter[0], inter[1], inter[2], inter[3], inter[4], inter[5], inter[6], inter[7], inter[8]);
        var writer = new ProofWriter(Magic, FormatVersion);
        foreach (var c in inter) c.Commitment.WriteTo(writer);
        var publics = new[] { x, t, w1, w2, w1After, w2After }.Select(c => c.Commitment).ToArray();
        var digest = Digest(statementDigest, publics, [.. inter.Select(c => c.Commitment)]);
        var sh = tb.Shapes;
        int bits = config.ValueBits;
        var proofs = new[]
        {
            RescaledProduct.Prove(digest[0], sh[0], x, w1, z1, tb.X, tb.W1, tb.Z1, tb.R1),
            ReluArgument.Prove(digest[1], bits, z1, s, h, tb.Z1, tb.S, tb.H),
            RescaledProduct.Prove(digest[2], sh[1], h, w2, z2, tb.H, tb.W2, tb.Z2, tb.R2),
            DifferenceArgument.Prove(digest[3], 0, z2, t, e, tb.Z2, tb.T, tb.E),
            RescaledProduct.Prove(digest[4], sh[2], e, w2, q, tb.E, tb.W2, tb.Q, tb.RQ),
            HadamardArgument.Prove(digest[5], s, q, d, tb.S, tb.Q, tb.D),
            RescaledProduct.Prove(digest[6], sh[3], e, h, d2, tb.E, tb.H, tb.Delta2, tb.RDelta2),
            RescaledProduct.Prove(digest[7], sh[4], d, x, d1, tb.D, tb.X, tb.Delta1, tb.RDelta1),
            DifferenceArgument.Prove(digest[8], bits, w1, d1, w1After, tb.W1, tb.Delta1, tb.W1After),
            DifferenceArgument.Prove(digest[9], bits, w2, d2, w2After, tb.W2, tb.Delta2, tb.W2After),
        };
        foreach (var proof in proofs)
        {
            writer.WriteUInt32((uint)proof.Length);
            writer.WriteBytes(proof);
        }
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="proof"/> proves the step between the given commitments; malformed bytes give false.</summary>
    internal static bool Verify(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig config,
        LigeroCommitment x, LigeroCommitment t, LigeroCommitment w1, LigeroCommitment w2, LigeroCommitment w1After, LigeroCommitment w2After, ReadOnlySpan<byte> proof)
    {
        ArgumentNullException.ThrowIfNull(config);
        var publics = new[] { x, t, w1, w2, w1After, w2After };
        if (publics.Any(c => c.Parameters != SumcheckStep.Parameters)) return false;
        try
        {
            var reader = new ProofReader(proof, Magic, FormatVersion);
            var inter = new LigeroCommitment[Intermediates];
            for (int i = 0; i < inter.Length; i++)
            {
                inter[i] = LigeroCommitment.ReadFrom(ref reader);
                if (inter[i].Parameters != SumcheckStep.Parameters) return false;
            }
            var blocks = new byte[Blocks][];
            for (int i = 0; i < blocks.Length; i++) blocks[i] = reader.ReadBytes((int)reader.ReadUInt32(MaxBlockBytes));
            reader.EnsureEnd();
            var (z1, s, h, z2, e, q, d, d2, d1) = (inter[0], inter[1], inter[2], inter[3], inter[4], inter[5], inter[6], inter[7], inter[8]);
            var digest = Digest(statementDigest, publics, inter);
            var sh = StepTables.ShapesFor(config);
            int bits = config.ValueBits;
            return RescaledProduct.Verify(digest[0], sh[0], x, w1, z1, blocks[0])
                && ReluArgument.Verify(digest[1], bits, z1, s, h, blocks[1])
                && RescaledProduct.Verify(digest[2], sh[1], h, w2, z2, blocks[2])
                && DifferenceArgument.Verify(digest[3], 0, z2, t, e, blocks[3])
                && RescaledProduct.Verify(digest[4], sh[2], e, w2, q, blocks[4])
                && HadamardArgument.Verify(digest[5], s, q, d, blocks[5])
                && RescaledProduct.Verify(digest[6], sh[3], e, h, d2, blocks[6])
                && RescaledProduct.Verify(digest[7], sh[4], d, x, d1, blocks[7])
                && DifferenceArgument.Verify(digest[8], bits, w1, d1, w1After, blocks[8])
                && DifferenceArgument.Verify(digest[9], bits, w2, d2, w2After, blocks[9]);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>One transcript seed per block: SHA-256 of the statement digest, every commitment, and the block index.</summary>
    private static byte[][] Digest(ReadOnlySpan<byte> statementDigest, LigeroCommitment[] publics, LigeroCommitment[] intermediates)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        writer.WriteUInt32((uint)statementDigest.Length);
        writer.WriteBytes(statementDigest);
        foreach (var c in publics.Concat(intermediates)) c.WriteTo(writer);
        var prefix = writer.ToArray();
        var seeds = new byte[Blocks][];
        for (int i = 0; i < Blocks; i++) seeds[i] = SHA256.HashData([.. prefix, (byte)i]);
        return seeds;
    }
}
