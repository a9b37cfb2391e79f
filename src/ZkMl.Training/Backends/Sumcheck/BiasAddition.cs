using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: a layer's bias added to its product, Y = X + u b^T for padded tables
/// Y, X [rows x columns] and b [columns], with u the indicator of the first <c>realRows</c> rows (the batch; the padded
/// rows stay zero), and every Y in ValueBits signed bits. Since adding a multiple of 2^f commutes with the floor,
/// Rescale_f(W h + 2^f b) = Rescale_f(W h) + b: with X = Rescale_f(H W^T) this is the reference's z (docs/fixed-point.md).
/// The limbs of Y + 2^(B-1) are in the step's stacked commitment (their range proven by the step's shared lookup); at a
/// random point p = (p_rows, p_columns) the prover sends X~(p), b~(p_columns), Y~(p) and the limb tables at p; the
/// verifier computes u~(p_rows) itself and checks Y~(p) = X~(p) + u~(p_rows) b~(p_columns) and the recomposition (linear
/// identities of multilinears in p: false except with probability n / |F|), then states the claims.
/// </summary>
internal static class BiasAddition
{
    /// <summary>Y = X + u b^T for a padded X [. x b.Length] whose first <paramref name="realRows"/> rows are real.</summary>
    /// <exception cref="FixedPointOverflowException">A Y entry leaves <paramref name="valueBits"/> signed bits.</exception>
    internal static long[] Compute(long[] x, long[] b, int realRows, int valueBits, string name)
    {
        int columns = b.Length;
        var y = (long[])x.Clone();
        for (int i = 0; i < realRows; i++)
            for (int j = 0; j < columns; j++)
                y[i * columns + j] = FixedPoint.CheckRange(x[i * columns + j] + b[j], valueBits, $"{name}[{j}] of sample {i}");
        return y;
    }

    /// <summary>Proves Y = X + u b^T with Y in <paramref name="valueBits"/> signed bits (limbs <paramref name="l"/>, of <see cref="DifferenceArgument.LimbTables"/>).</summary>
    internal static void Prove(StepProver step, int valueBits, int realRows, StepOracle x, StepOracle b, StepOracle y, StepOracle[] l,
        long[] xTable, long[] bTable, long[] yTable, Goldilocks[][] limbs)
    {
        int columnVariables = Multilinear.VariableCount(bTable.Length), n = Multilinear.VariableCount(yTable.Length);
        if (xTable.Length != yTable.Length || n < columnVariables) throw new ArgumentException("X and Y differ in length, or b is longer than a row.");
        if (l.Length != RangeLimbs.Count(valueBits) || limbs.Length != l.Length || limbs.Any(t => t.Length != yTable.Length))
            throw new ArgumentException("One limb table per limb of the range.");
        var transcript = step.Transcript;
        var p = Begin(transcript, valueBits, realRows, n);
        var values = new GoldilocksExt2[3 + limbs.Length];
        values[0] = Multilinear.Evaluate(RescaledProduct.ToField(xTable), p);
        values[1] = Multilinear.Evaluate(RescaledProduct.ToField(bTable), p[(n - columnVariables)..]);
        values[2] = Multilinear.Evaluate(RescaledProduct.ToField(yTable), p);
        for (int i = 0; i < limbs.Length; i++) values[3 + i] = Multilinear.Evaluate(limbs[i], p);
        transcript.Absorb("bias.values", values);
        step.Writer.Write(values);
        Claims(step.Claim, p, columnVariables, values, x, b, y, l);
    }

    /// <summary>Checks a <see cref="Prove"/> part of the step proof and records its claims; false when a check fails.</summary>
    internal static bool Verify(StepVerifier step, ref ProofReader reader, int valueBits, int realRows, int rowVariables, int columnVariables,
        StepOracle x, StepOracle b, StepOracle y, StepOracle[] l)
    {
        int limbCount = RangeLimbs.Count(valueBits), n = rowVariables + columnVariables;
        if (l.Length != limbCount) throw new ArgumentException("One oracle per limb table.", nameof(l));
        if (realRows < 1 || realRows > 1 << rowVariables) throw new ArgumentOutOfRangeException(nameof(realRows));
        var transcript = step.Transcript;
        var p = Begin(transcript, valueBits, realRows, n);
        var values = new GoldilocksExt2[3 + limbCount];
        reader.ReadExt(values);
        transcript.Absorb("bias.values", values);
        var rows = new Goldilocks[1 << rowVariables];
        Array.Fill(rows, Goldilocks.One, 0, realRows);
        if (values[2] != values[0] + Multilinear.Evaluate(rows, p[..rowVariables]) * values[1]) return false;
        if (!RangeLimbs.Recomposes(values[2] + Goldilocks.FromUInt64(1UL << (valueBits - 1)), values.AsSpan(3, limbCount), valueBits)) return false;
        Claims(step.Claim, p, columnVariables, values, x, b, y, l);
        return true;
    }

    private static GoldilocksExt2[] Begin(Transcript transcript, int valueBits, int realRows, int variables)
    {
        transcript.Absorb("bias.shape", [Goldilocks.FromUInt64((ulong)valueBits), Goldilocks.FromUInt64((ulong)realRows)]);
        var p = new GoldilocksExt2[variables];
        transcript.ChallengeExt("bias.point", p);
        return p;
    }

    /// <summary>X, Y and every limb table at p, b at p's column coordinates.</summary>
    private static void Claims(Action<StepOracle, GoldilocksExt2[], GoldilocksExt2> claim, GoldilocksExt2[] p, int columnVariables, GoldilocksExt2[] values,
        StepOracle x, StepOracle b, StepOracle y, StepOracle[] l)
    {
        claim(x, p, values[0]);
        claim(b, p[(p.Length - columnVariables)..], values[1]);
        claim(y, p, values[2]);
        RescaledProduct.ClaimLimbs(claim, l, p, values.AsSpan(3));
    }
}
