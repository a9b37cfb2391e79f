using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: for tables Z (2^n entries, each already proven to lie
/// in ValueBits signed bits, e.g. by <see cref="RescaledProduct"/>), S and H: S = [Z &gt; 0] and H = ReLU(Z) = S Z,
/// entrywise (S is the backward pass's mask).
/// <para>Protocol (on the step's transcript): the step stacks the 16-bit limb tables of U = (2 S - 1) Z - S = 2 H - Z - S; U is
/// Z - 1 where S = 1 and -Z where S = 0, so U in [0, 2^B) forces Z &gt;= 1 or Z &lt;= 0 respectively. At a random point p
/// it sends S~(p), H~(p), Z~(p) and every limb table at p; the verifier checks the limbs recompose 2 H~ - Z~ - S~ at p, then
/// two product sumchecks with eq(p, .): sum eq S S = S~(p) (S is boolean) and sum eq S Z = H~(p) (H = S Z), and states
/// claims on every value (the limbs' range: the step's shared lookup).</para>
/// </summary>
internal static class ReluArgument
{
    /// <summary>The honest mask S = [z &gt; 0] and H = ReLU(z).</summary>
    internal static (long[] Mask, long[] Relu) Compute(ReadOnlySpan<long> z)
    {
        var s = new long[z.Length];
        var h = new long[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            s[i] = z[i] > 0 ? 1 : 0;
            h[i] = z[i] > 0 ? z[i] : 0;
        }
        return (s, h);
    }

    /// <summary>The limb tables of U = 2H - Z - S in [0, 2^B) (<see cref="RangeLimbs.Count"/> of them, each of Z's size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">U is out of range (S, H are not Z's mask and ReLU).</exception>
    internal static Goldilocks[][] LimbTables(int valueBits, long[] zTable, long[] sTable, long[] hTable)
    {
        Check(valueBits);
        if (sTable.Length != zTable.Length || hTable.Length != zTable.Length) throw new ArgumentException("Z, S and H differ in length.");
        int size = zTable.Length;
        var limbs = new Goldilocks[RangeLimbs.Count(valueBits)][];
        for (int b = 0; b < limbs.Length; b++) limbs[b] = new Goldilocks[size];
        Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
        for (int e = 0; e < size; e++)
        {
            RangeLimbs.Decompose(2 * hTable[e] - zTable[e] - sTable[e], valueBits, scratch);
            for (int b = 0; b < limbs.Length; b++) limbs[b][e] = Goldilocks.FromInt64(scratch[b]);
        }
        return limbs;
    }

    /// <summary>Proves S = [Z &gt; 0], H = S Z on the step's transcript, stating claims on Z, S, H and U's limbs <paramref name="l"/>.</summary>
    internal static void Prove(StepProver step, int valueBits, StepOracle z, StepOracle s, StepOracle h, StepOracle[] l,
        long[] zTable, long[] sTable, long[] hTable, Goldilocks[][] limbs)
    {
        Check(valueBits);
        int n = Multilinear.VariableCount(zTable.Length);
        if (sTable.Length != zTable.Length || hTable.Length != zTable.Length || limbs.Length != RangeLimbs.Count(valueBits) || l.Length != limbs.Length
            || limbs.Any(t => t.Length != zTable.Length))
            throw new ArgumentException("Z, S, H and the limbs differ in length.");
        var transcript = step.Transcript;
        transcript.Absorb("relu.bits", (ulong)valueBits);
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("relu.point", p);
        var (zField, sField, hField) = (RescaledProduct.ToField(zTable), RescaledProduct.ToField(sTable), RescaledProduct.ToField(hTable));
        var values = new GoldilocksExt2[3 + limbs.Length];
        values[0] = Multilinear.Evaluate(sField, p);
        values[1] = Multilinear.Evaluate(hField, p);
        values[2] = Multilinear.Evaluate(zField, p);
        for (int b = 0; b < limbs.Length; b++) values[3 + b] = Multilinear.Evaluate(limbs[b], p);
        transcript.Absorb("relu.values", values);
        step.Writer.Write(values);

        var boolean = ProductSumcheck.ProveInPlace(transcript, Multilinear.EqTable(p), Ext(sField), Ext(sField));
        boolean.Proof.WriteTo(step.Writer);
        var product = ProductSumcheck.ProveInPlace(transcript, Multilinear.EqTable(p), Ext(sField), Ext(zField));
        product.Proof.WriteTo(step.Writer);
        Claims(step.Claim, p, boolean.Reduction, product.Reduction, values, z, s, h, l);
    }

    /// <summary>Checks a <see cref="Prove"/> part of the step proof and records its claims; false when a check fails.</summary>
    internal static bool Verify(StepVerifier step, ref ProofReader reader, int valueBits, int variables, StepOracle z, StepOracle s, StepOracle h, StepOracle[] l)
    {
        Check(valueBits);
        int n = variables;
        int uLimbs = RangeLimbs.Count(valueBits);
        if (l.Length != uLimbs) throw new ArgumentException("One oracle per limb table.", nameof(l));
        var transcript = step.Transcript;
        transcript.Absorb("relu.bits", (ulong)valueBits);
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("relu.point", p);
        var values = new GoldilocksExt2[3 + uLimbs];
        reader.ReadExt(values);
        transcript.Absorb("relu.values", values);
        GoldilocksExt2 sValue = values[0], hValue = values[1], zValue = values[2];
        if (!RangeLimbs.Recomposes(hValue + hValue - zValue - sValue, values.AsSpan(3, uLimbs), valueBits)) return false;

        if (!ProductSumcheck.Verify(transcript, n, 3, sValue, SumcheckProof.ReadFrom(ref reader), out var boolean)) return false;
        if (boolean.Evaluations[0] != Multilinear.Eq(p, boolean.Point) || boolean.Evaluations[1] != boolean.Evaluations[2]) return false;
        if (!ProductSumcheck.Verify(transcript, n, 3, hValue, SumcheckProof.ReadFrom(ref reader), out var product)) return false;
        if (product.Evaluations[0] != Multilinear.Eq(p, product.Point)) return false;
        Claims(step.Claim, p, boolean, product, values, z, s, h, l);
        return true;
    }

    private static void Check(int valueBits)
    {
        if (valueBits < 2 || valueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, $"ValueBits takes 2..{RangeLimbs.MaxBits}.");
    }

    /// <summary>Z at p and at the product sumcheck's point, S at p and both sumchecks' points, H and U's limb tables at p.</summary>
    private static void Claims(Action<StepOracle, GoldilocksExt2[], GoldilocksExt2> claim, GoldilocksExt2[] p, SumcheckReduction boolean, SumcheckReduction product,
        GoldilocksExt2[] values, StepOracle z, StepOracle s, StepOracle h, StepOracle[] l)
    {
        var (bp, pp) = (boolean.Point.ToArray(), product.Point.ToArray());
        claim(z, p, values[2]);
        claim(z, pp, product.Evaluations[2]);
        claim(s, p, values[0]);
        claim(s, bp, boolean.Evaluations[1]);
        claim(s, pp, product.Evaluations[1]);
        claim(h, p, values[1]);
        RescaledProduct.ClaimLimbs(claim, l, p, values.AsSpan(3));
    }

    private static GoldilocksExt2[] Ext(Goldilocks[] table)
    {
        var ext = new GoldilocksExt2[table.Length];
        for (int i = 0; i < table.Length; i++) ext[i] = table[i];
        return ext;
    }
}
