using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: Y = X1 - X2 entrywise for tables of one size, and, when ValueBits &gt; 0,
/// every Y in ValueBits signed bits (the update W' = W - Delta with W' in B bits; the output error E = Z2 - T unchecked).
/// The limbs of Y + 2^(B-1) are in the step's stacked commitment (their range proven by the step's shared lookup); at a
/// random point p the prover sends X1~, X2~, Y~ and the limb blocks; the verifier checks Y~ = X1~ - X2~ and the
/// recomposition (linear identities) and states the claims.
/// </summary>
internal static class DifferenceArgument
{
    /// <summary>The limb tables of Y + 2^(B-1) (<see cref="RangeLimbs.Count"/> of them, each of Y's size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A Y entry leaves the range.</exception>
    internal static Goldilocks[][] LimbTables(int valueBits, long[] yTable)
    {
        Check(valueBits);
        if (valueBits == 0) throw new ArgumentOutOfRangeException(nameof(valueBits), "An unchecked difference has no limbs.");
        int size = yTable.Length;
        var limbs = new Goldilocks[RangeLimbs.Count(valueBits)][];
        for (int b = 0; b < limbs.Length; b++) limbs[b] = new Goldilocks[size];
        Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
        for (int e = 0; e < size; e++)
        {
            RangeLimbs.Decompose(yTable[e] + (1L << (valueBits - 1)), valueBits, scratch);
            for (int b = 0; b < limbs.Length; b++) limbs[b][e] = Goldilocks.FromInt64(scratch[b]);
        }
        return limbs;
    }

    /// <summary>Proves Y = X1 - X2 (and Y in <paramref name="valueBits"/> signed bits when positive, with limbs <paramref name="l"/>).</summary>
    internal static void Prove(StepProver step, int valueBits, StepOracle x1, StepOracle x2, StepOracle y, StepOracle[] l,
        long[] x1Table, long[] x2Table, long[] yTable, Goldilocks[][] limbs)
    {
        Check(valueBits);
        int n = Multilinear.VariableCount(yTable.Length);
        if (x1Table.Length != yTable.Length || x2Table.Length != yTable.Length) throw new ArgumentException("X1, X2 and Y differ in length.");
        int limbCount = valueBits > 0 ? RangeLimbs.Count(valueBits) : 0;
        if (l.Length != limbCount || limbs.Length != limbCount || limbs.Any(t => t.Length != yTable.Length)) throw new ArgumentException("One limb table per limb of the range.");
        var transcript = step.Transcript;
        transcript.Absorb("difference.bits", (ulong)valueBits);
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("difference.point", p);
        var values = new GoldilocksExt2[3 + limbCount];
        values[0] = Multilinear.Evaluate(RescaledProduct.ToField(x1Table), p);
        values[1] = Multilinear.Evaluate(RescaledProduct.ToField(x2Table), p);
        values[2] = Multilinear.Evaluate(RescaledProduct.ToField(yTable), p);
        for (int b = 0; b < limbCount; b++) values[3 + b] = Multilinear.Evaluate(limbs[b], p);
        transcript.Absorb("difference.values", values);
        step.Writer.Write(values);
        Claims(step.Claim, p, values, x1, x2, y, l);
    }

    /// <summary>Checks a <see cref="Prove"/> part of the step proof and records its claims; false when a check fails.</summary>
    internal static bool Verify(StepVerifier step, ref ProofReader reader, int valueBits, int variables, StepOracle x1, StepOracle x2, StepOracle y, StepOracle[] l)
    {
        Check(valueBits);
        int n = variables;
        int limbCount = valueBits > 0 ? RangeLimbs.Count(valueBits) : 0;
        if (l.Length != limbCount) throw new ArgumentException("One oracle per limb table.", nameof(l));
        var transcript = step.Transcript;
        transcript.Absorb("difference.bits", (ulong)valueBits);
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("difference.point", p);
        var values = new GoldilocksExt2[3 + limbCount];
        reader.ReadExt(values);
        transcript.Absorb("difference.values", values);
        if (values[2] != values[0] - values[1]) return false;
        if (limbCount > 0 && !RangeLimbs.Recomposes(values[2] + Goldilocks.FromUInt64(1UL << (valueBits - 1)), values.AsSpan(3, limbCount), valueBits)) return false;
        Claims(step.Claim, p, values, x1, x2, y, l);
        return true;
    }

    private static void Check(int valueBits)
    {
        if (valueBits < 0 || valueBits == 1 || valueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, $"ValueBits takes 0 (unchecked) or 2..{RangeLimbs.MaxBits}.");
    }

    /// <summary>X1, X2, Y and every limb table at p.</summary>
    private static void Claims(Action<StepOracle, GoldilocksExt2[], GoldilocksExt2> claim, GoldilocksExt2[] p, GoldilocksExt2[] values,
        StepOracle x1, StepOracle x2, StepOracle y, StepOracle[] l)
    {
        claim(x1, p, values[0]);
        claim(x2, p, values[1]);
        claim(y, p, values[2]);
        RescaledProduct.ClaimLimbs(claim, l, p, values.AsSpan(3));
    }
}
