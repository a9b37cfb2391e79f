using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The arithmetic of one two-layer SGD step (docs/fixed-point.md) proven through Ligero commitments: given the batch
/// (X, T, known to the verifier: membership sends it), commitments to the weights before (W1, W2) and after (W1', W2'), a proof (format "ZKST" v2, <see cref="StepProver"/>)
/// shows Z1 = Rescale_f(X W1^T), S = [Z1 &gt; 0], H = S Z1, Z2 = Rescale_f(H W2^T), E = Z2 - T, Q = Rescale_f(E W2), D = S Q,
/// Delta2 = Rescale_{f+s}(eta E^T H), Delta1 = Rescale_{f+s}(eta D^T X), W' = W - Delta, every quotient and W' in B bits.
/// One transcript, seeded with the caller's statement digest, absorbs X, T, the four weight commitments and the one stacked
/// commitment to every private table (the nine intermediates, five remainders, eight limb tables and the range table's
/// multiplicities) before any challenge; the ten blocks state claims; one shared LogUp proves every limb in range; each
/// of the five commitments is opened once; claims on X and T the verifier evaluates itself, at the point its claims reduce to.
/// Not covered here: that X and T are the scheduled rows of the data set (membership), and zero knowledge
/// (docs/sumcheck-step.md). Where Q's range differs from the reference (the reference range-checks Rescale_f(g) only
/// where z1 &gt; 0), an honest step with a huge g at an inactive unit cannot be proven (completeness, not soundness).
/// </summary>
internal static class SumcheckStep
{
    /// <summary>
    /// The Ligero parameters of every commitment of a step proof: rate 1/4, 371 queries (111.1 bits per opening)
    /// (<see cref="SumcheckSoundness"/>).
    /// </summary>
    internal static LigeroParameters Parameters { get; } = new(2, 371, false);

    /// <summary>
    /// Variables of the stacked private tables in registration order: Z1, S, H, Z2, E, Q, D, Delta2, Delta1, then the
    /// remainders R1, R2, RQ, RDelta2, RDelta1; and of the limb tables, per block: the five products', U's, W1''s and W2''s.
    /// </summary>
    internal static (int[] Tables, int[][] Limbs) PrivateVariables(QuantizedMlpConfig config)
    {
        var sh = StepTables.ShapesFor(config);
        int bits = config.ValueBits, hidden = sh[0].OutputVariables, output = sh[1].OutputVariables;
        int v1 = sh[0].ColumnVariables + sh[0].InnerVariables, v2 = sh[1].ColumnVariables + sh[1].InnerVariables;
        int[] tables = [hidden, hidden, hidden, output, output, hidden, hidden, sh[3].OutputVariables, sh[4].OutputVariables,
            hidden, output, hidden, sh[3].OutputVariables, sh[4].OutputVariables];
        int[][] limbs =
        [
            .. sh.Select(s => Enumerable.Repeat(s.OutputVariables, RescaledProduct.LimbCount(s)).ToArray()),
            Enumerable.Repeat(hidden, RangeLimbs.Count(bits)).ToArray(), Enumerable.Repeat(v1, RangeLimbs.Count(bits)).ToArray(),
            Enumerable.Repeat(v2, RangeLimbs.Count(bits)).ToArray(),
        ];
        return (tables, limbs);
    }

    /// <summary>A non-hiding Ligero commitment to a padded integer table (deterministic).</summary>
    internal static LigeroProverData Commit(long[] table) => LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(table));

    /// <summary>
    /// Proves the step whose tables are <paramref name="tables"/> (the batch among them), for the committed
    /// weights before (<paramref name="w1"/>, <paramref name="w2"/>) and after (<paramref name="w1After"/>, <paramref name="w2After"/>).
    /// </summary>
    internal static byte[] Prove(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig config, StepTables tables,
        LigeroProverData w1, LigeroProverData w2, LigeroProverData w1After, LigeroProverData w2After)
    {
        var tb = tables;
        var sh = tb.Shapes;
        int bits = config.ValueBits;
        var step = new StepProver(statementDigest);
        var F = RescaledProduct.ToField;
        var (ox, ot, ow1, ow2, ow1a, ow2a) = (step.AddKnown(F(tb.X)), step.AddKnown(F(tb.T)), step.AddPublic(w1, F(tb.W1)),
            step.AddPublic(w2, F(tb.W2)), step.AddPublic(w1After, F(tb.W1After)), step.AddPublic(w2After, F(tb.W2After)));
        var inter = new[] { tb.Z1, tb.S, tb.H, tb.Z2, tb.E, tb.Q, tb.D, tb.Delta2, tb.Delta1, tb.R1, tb.R2, tb.RQ, tb.RDelta2, tb.RDelta1 }
            .Select(table => step.AddPrivate(F(table))).ToArray();
        var (z1, s, h, z2, e, q, d, d2, d1) = (inter[0], inter[1], inter[2], inter[3], inter[4], inter[5], inter[6], inter[7], inter[8]);
        var (r1, r2, rq, rd2, rd1) = (inter[9], inter[10], inter[11], inter[12], inter[13]);
        Goldilocks[][][] limbs;
        using (SumcheckTelemetry.Telemetry.Phase("limbs"))
            limbs =
            [
                RescaledProduct.LimbTables(sh[0], tb.Z1, tb.R1), RescaledProduct.LimbTables(sh[1], tb.Z2, tb.R2), RescaledProduct.LimbTables(sh[2], tb.Q, tb.RQ),
                RescaledProduct.LimbTables(sh[3], tb.Delta2, tb.RDelta2), RescaledProduct.LimbTables(sh[4], tb.Delta1, tb.RDelta1),
                ReluArgument.LimbTables(bits, tb.Z1, tb.S, tb.H), DifferenceArgument.LimbTables(bits, tb.W1After), DifferenceArgument.LimbTables(bits, tb.W2After),
            ];
        var l = limbs.Select(block => block.Select(step.AddLimbs).ToArray()).ToArray();
        step.Commit();
        RescaledProduct.Prove(step, sh[0], ox, ow1, z1, r1, l[0], tb.X, tb.W1, tb.Z1, tb.R1, limbs[0]);
        ReluArgument.Prove(step, bits, z1, s, h, l[5], tb.Z1, tb.S, tb.H, limbs[5]);
        RescaledProduct.Prove(step, sh[1], h, ow2, z2, r2, l[1], tb.H, tb.W2, tb.Z2, tb.R2, limbs[1]);
        DifferenceArgument.Prove(step, 0, z2, ot, e, [], tb.Z2, tb.T, tb.E, []);
        RescaledProduct.Prove(step, sh[2], e, ow2, q, rq, l[2], tb.E, tb.W2, tb.Q, tb.RQ, limbs[2]);
        HadamardArgument.Prove(step, s, q, d, tb.S, tb.Q, tb.D);
        RescaledProduct.Prove(step, sh[3], e, h, d2, rd2, l[3], tb.E, tb.H, tb.Delta2, tb.RDelta2, limbs[3]);
        RescaledProduct.Prove(step, sh[4], d, ox, d1, rd1, l[4], tb.D, tb.X, tb.Delta1, tb.RDelta1, limbs[4]);
        DifferenceArgument.Prove(step, bits, ow1, d1, ow1a, l[6], tb.W1, tb.Delta1, tb.W1After, limbs[6]);
        DifferenceArgument.Prove(step, bits, ow2, d2, ow2a, l[7], tb.W2, tb.Delta2, tb.W2After, limbs[7]);
        return step.Finish();
    }

    /// <summary>
    /// True when <paramref name="proof"/> proves the step for the padded batch tables <paramref name="x"/>, <paramref name="t"/>
    /// between the given commitments; malformed bytes give false.
    /// </summary>
    internal static bool Verify(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig config,
        long[] x, long[] t, LigeroCommitment w1, LigeroCommitment w2, LigeroCommitment w1After, LigeroCommitment w2After, ReadOnlySpan<byte> proof)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sh = StepTables.ShapesFor(config);
        int bits = config.ValueBits;
        int hidden = sh[0].OutputVariables, output = sh[1].OutputVariables, v1 = sh[0].ColumnVariables + sh[0].InnerVariables, v2 = sh[1].ColumnVariables + sh[1].InnerVariables;
        if (x.Length != 1 << (sh[0].RowVariables + sh[0].InnerVariables) || t.Length != 1 << output || w1.Variables != v1 || w2.Variables != v2
            || w1After.Variables != v1 || w2After.Variables != v2)
            return false;
        try
        {
            var reader = new ProofReader(proof, StepProver.Magic, StepProver.FormatVersion);
            var step = new StepVerifier(statementDigest);
            var (ox, ot, ow1, ow2, ow1a, ow2a) = (step.AddKnown(RescaledProduct.ToField(x)), step.AddKnown(RescaledProduct.ToField(t)), step.AddPublic(w1), step.AddPublic(w2), step.AddPublic(w1After), step.AddPublic(w2After));
            var (tableVariables, limbVariables) = PrivateVariables(config);
            var inter = tableVariables.Select(step.AddPrivate).ToArray();
            var (z1, s, h, z2, e, q, d, d2, d1) = (inter[0], inter[1], inter[2], inter[3], inter[4], inter[5], inter[6], inter[7], inter[8]);
            var (r1, r2, rq, rd2, rd1) = (inter[9], inter[10], inter[11], inter[12], inter[13]);
            var l = limbVariables.Select(block => block.Select(step.AddLimbs).ToArray()).ToArray();
            if (!step.Commit(ref reader)) return false;
            bool ok = RescaledProduct.Verify(step, ref reader, sh[0], ox, ow1, z1, r1, l[0])
                && ReluArgument.Verify(step, ref reader, bits, hidden, z1, s, h, l[5])
                && RescaledProduct.Verify(step, ref reader, sh[1], h, ow2, z2, r2, l[1])
                && DifferenceArgument.Verify(step, ref reader, 0, output, z2, ot, e, [])
                && RescaledProduct.Verify(step, ref reader, sh[2], e, ow2, q, rq, l[2])
                && HadamardArgument.Verify(step, ref reader, hidden, s, q, d)
                && RescaledProduct.Verify(step, ref reader, sh[3], e, h, d2, rd2, l[3])
                && RescaledProduct.Verify(step, ref reader, sh[4], d, ox, d1, rd1, l[4])
                && DifferenceArgument.Verify(step, ref reader, bits, v1, ow1, d1, ow1a, l[6])
                && DifferenceArgument.Verify(step, ref reader, bits, v2, ow2, d2, ow2a, l[7])
                && step.Finish(ref reader);
            if (!ok) return false;
            reader.EnsureEnd();
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }
}
