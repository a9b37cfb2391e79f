using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: Z = Rescale_k(c A W^T) for Ligero-committed A, W and Z (padded tables,
/// <see cref="RescaledProductShape"/>, c its multiplier: the learning-rate numerator of an update, else 1), with Rescale_k as in docs/fixed-point.md and every quotient in ValueBits signed bits.
/// <para>Protocol (on the step's transcript, <see cref="StepProver"/>): the step stacks the remainders R and the 16-bit
/// limb tables (those of R in [0, 2^k) and of Z + 2^(B-1) in [0, 2^B), <see cref="RangeLimbs"/>), whose range the step's
/// one shared lookup proves; at a random point p of the output the prover sends Z~(p), R~(p) and every limb table at p.
/// The verifier checks the limb recompositions at p (linear identities of multilinear tables: true everywhere or false
/// except with probability n / |F|), reduces c (A W^T)~(p) = 2^k Z~(p) + R~(p) - 2^(k-1) by the matrix-product sumcheck
/// (over c A) to A~ and W~ at one point each, and states claims on every value. With the ranges proven,
/// |2^k Z + R - 2^(k-1)| &lt;= 2^(B+k-1) + 2^(k-1) (B + k &lt;= 62 is required), so when the true integer c A W^T entry
/// plus that is below p in absolute value (the operands' proven ranges bound it: <see cref="WrapBound"/>, checked at
/// setup for every product of the step) both sides are the same integer and (Z, R) is its unique floor division:
/// Z = Rescale_k(c A W^T) exactly. The backward product range-checks D = S o Q in place of Q (see <see cref="Prove"/>).</para>
/// </summary>
internal static class RescaledProduct
{
    /// <summary>
    /// The honest quotients and remainders (padded, Rows x Columns) of Rescale_k(c A W^T) for unpadded A and W in their stored
    /// layouts. Where <paramref name="mask"/> (padded like the output; empty: everywhere) is non-zero, the quotient must fit
    /// <paramref name="referenceBits"/> signed bits (the reference's B; 0: the shape's ValueBits) and then the shape's
    /// ValueBits; where it is zero (a unit the backward product's ReLU mask turns off, so D = S Q is 0 whatever Q is) the
    /// quotient is not range-checked, as the reference does not check it, and is stored as its residue modulo p
    /// (in (-p/2, p/2)): the field identity 2^k Q + R - 2^(k-1) = C still holds, with R the true remainder.
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A checked quotient does not fit <paramref name="referenceBits"/> (or ValueBits) signed bits.</exception>
    /// <exception cref="NotSupportedException">A checked quotient fits the reference's bits but not the shape's narrower ValueBits (<see cref="WrapBound"/>).</exception>
    internal static (long[] Quotients, long[] Remainders) Compute(RescaledProductShape shape, ReadOnlySpan<long> a, ReadOnlySpan<long> w,
        ReadOnlySpan<long> mask = default, int referenceBits = 0)
    {
        shape.Validate();
        if (a.Length != shape.Rows * shape.Inner) throw new ArgumentException("A does not have Rows x Inner entries.", nameof(a));
        if (w.Length != shape.Columns * shape.Inner) throw new ArgumentException("W does not have Columns x Inner entries.", nameof(w));
        int rp = shape.PaddedRows, cp = shape.PaddedColumns;
        if (!mask.IsEmpty && mask.Length != rp * cp) throw new ArgumentException("The mask does not have the output's padded size.", nameof(mask));
        int reference = Math.Max(referenceBits, shape.ValueBits);
        var z = new long[rp * cp];
        var r = new long[rp * cp];
        for (int i = 0; i < rp; i++)
            for (int j = 0; j < cp; j++)
            {
                Int128 sum = 0;
                if (i < shape.Rows && j < shape.Columns)
                {
                    for (int k = 0; k < shape.Inner; k++)
                        sum += (Int128)shape.A(a, i, k, shape.Rows, shape.Inner) * shape.W(w, j, k, shape.Columns, shape.Inner);
                    sum *= shape.Multiplier;
                }
                int e = i * cp + j;
                var q = FixedPoint.Rescale(sum, shape.Shift, out r[e]);
                if (!mask.IsEmpty && mask[e] == 0)
                {
                    z[e] = Centered(q);
                    continue;
                }
                z[e] = FixedPoint.CheckRange(q, reference, $"product[{i}, {j}]");
                if (!FixedPoint.FitsSigned(q, shape.ValueBits)) throw WrapBound.Unsupported($"product[{i}, {j}]", q, shape.ValueBits);
            }
        return (z, r);
    }

    /// <summary>v modulo p as a signed 64-bit value in (-p/2, p/2) (its field element is v's).</summary>
    private static long Centered(Int128 v)
    {
        Int128 p = Goldilocks.P;
        Int128 m = v % p;
        if (m > p / 2) m -= p;
        else if (m < -(p / 2)) m += p;
        return (long)m;
    }

    /// <summary>Zero-pads a row-major rows x columns matrix to paddedRows x paddedColumns.</summary>
    internal static long[] Pad(ReadOnlySpan<long> matrix, int rows, int columns, int paddedRows, int paddedColumns)
    {
        if (matrix.Length != rows * columns) throw new ArgumentException("The matrix is not rows x columns.", nameof(matrix));
        var padded = new long[paddedRows * paddedColumns];
        for (int i = 0; i < rows; i++) matrix.Slice(i * columns, columns).CopyTo(padded.AsSpan(i * paddedColumns, columns));
        return padded;
    }

    /// <summary>Field encoding of signed integers (negative v as p - |v|).</summary>
    internal static Goldilocks[] ToField(ReadOnlySpan<long> values)
    {
        var field = new Goldilocks[values.Length];
        for (int i = 0; i < values.Length; i++) field[i] = Goldilocks.FromInt64(values[i]);
        return field;
    }

    /// <summary>Limb tables (each Rows x Columns padded): those of R, then those of Z + 2^(B-1).</summary>
    internal static int LimbCount(RescaledProductShape shape) => RangeLimbs.Count(shape.Shift) + RangeLimbs.Count(shape.ValueBits);

    /// <summary>
    /// The limb tables of R and Z + 2^(B-1). <paramref name="unchecked"/> (tests only) lets out-of-range values through as
    /// a cheating prover's limbs, which recompose the value but fall outside the range table.
    /// </summary>
    internal static Goldilocks[][] LimbTables(RescaledProductShape shape, long[] zTable, long[] rTable, bool @unchecked = false)
    {
        shape.Validate();
        int size = shape.PaddedRows * shape.PaddedColumns;
        if (zTable.Length != size || rTable.Length != size) throw new ArgumentException("Z or R does not have its padded size.");
        int rLimbs = RangeLimbs.Count(shape.Shift), zLimbs = RangeLimbs.Count(shape.ValueBits);
        var limbs = new Goldilocks[rLimbs + zLimbs][];
        for (int b = 0; b < limbs.Length; b++) limbs[b] = new Goldilocks[size];
        Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
        long zOffset = 1L << (shape.ValueBits - 1);
        for (int e = 0; e < size; e++)
        {
            Limbs(rTable[e], shape.Shift, scratch, @unchecked);
            for (int b = 0; b < rLimbs; b++) limbs[b][e] = Goldilocks.FromInt64(scratch[b]);
            Limbs(zTable[e] + zOffset, shape.ValueBits, scratch, @unchecked);
            for (int b = 0; b < zLimbs; b++) limbs[rLimbs + b][e] = Goldilocks.FromInt64(scratch[b]);
        }
        return limbs;
    }

    /// <summary>
    /// Proves Z = Rescale_k(c A W^T) on the step's transcript for the oracles <paramref name="a"/>, <paramref name="w"/>,
    /// <paramref name="z"/>, remainders <paramref name="r"/> and limb tables <paramref name="l"/> (of <see cref="LimbTables"/>),
    /// stating claims on them; the limbs' range is proven by the step's shared lookup. With <paramref name="ranged"/> the
    /// quotient limbs are those of that table instead of Z (the backward product: D = S o Q, so Q is bounded only where the
    /// ReLU mask is 1, as in the reference), and its value at p is sent and claimed too.
    /// </summary>
    internal static void Prove(StepProver step, RescaledProductShape shape, StepOracle a, StepOracle w, StepOracle z, StepOracle r, StepOracle[] l,
        long[] aTable, long[] wTable, long[] zTable, long[] rTable, Goldilocks[][] limbs, StepOracle? ranged = null, long[]? rangedTable = null)
    {
        if (ranged.HasValue != rangedTable is not null) throw new ArgumentException("A ranged oracle comes with its table.", nameof(rangedTable));
        shape.Validate();
        int rp = shape.PaddedRows, kp = shape.PaddedInner, cp = shape.PaddedColumns;
        if (aTable.Length != rp * kp || wTable.Length != cp * kp || zTable.Length != rp * cp || rTable.Length != rp * cp
            || limbs.Length != LimbCount(shape) || l.Length != limbs.Length || limbs.Any(t => t.Length != rp * cp) || (rangedTable is not null && rangedTable.Length != rp * cp))
            throw new ArgumentException("A table does not have its padded size.");
        var transcript = step.Transcript;
        Begin(transcript, shape);
        var p = new GoldilocksExt2[shape.OutputVariables];
        transcript.ChallengeExt("rescale.point", p);
        var values = new GoldilocksExt2[2 + limbs.Length + (ranged.HasValue ? 1 : 0)];
        values[0] = Multilinear.Evaluate(ToField(zTable), p);
        values[1] = Multilinear.Evaluate(ToField(rTable), p);
        for (int b = 0; b < limbs.Length; b++) values[2 + b] = Multilinear.Evaluate(limbs[b], p);
        if (rangedTable is not null) values[^1] = Multilinear.Evaluate(ToField(rangedTable), p);
        transcript.Absorb("rescale.values", values);
        step.Writer.Write(values);

        // The sumcheck runs over c A [rp x kp] and W^T [kp x cp], whatever the stored layouts.
        var left = new Goldilocks[rp * kp];
        var right = new Goldilocks[kp * cp];
        for (int k = 0; k < kp; k++)
        {
            for (int i = 0; i < rp; i++) left[i * kp + k] = Goldilocks.FromInt64(shape.Multiplier * shape.A(aTable, i, k, rp, kp));
            for (int j = 0; j < cp; j++) right[k * cp + j] = Goldilocks.FromInt64(shape.W(wTable, j, k, cp, kp));
        }
        var (pRow, pColumn) = (p[..shape.RowVariables], p[shape.RowVariables..]);
        var product = MatrixProductSumcheck.Prove(transcript, new MatrixShape(rp, kp, cp), left, right, pRow, pColumn);
        product.Proof.WriteTo(step.Writer);
        Claims(shape, p, product.Reduction.Point, product.Reduction.Evaluations, values, step.Claim, a, w, z, r, l, ranged);
    }

    /// <summary>Checks a <see cref="Prove"/> part of the step proof (with the same <paramref name="ranged"/>) and records its claims; false when a check fails.</summary>
    internal static bool Verify(StepVerifier step, ref ProofReader reader, RescaledProductShape shape, StepOracle a, StepOracle w, StepOracle z, StepOracle r, StepOracle[] l,
        StepOracle? ranged = null)
    {
        shape.Validate();
        int rp = shape.PaddedRows, kp = shape.PaddedInner, cp = shape.PaddedColumns;
        int rLimbs = RangeLimbs.Count(shape.Shift), zLimbs = RangeLimbs.Count(shape.ValueBits);
        if (l.Length != rLimbs + zLimbs) throw new ArgumentException("One oracle per limb table.", nameof(l));
        var transcript = step.Transcript;
        Begin(transcript, shape);
        var p = new GoldilocksExt2[shape.OutputVariables];
        transcript.ChallengeExt("rescale.point", p);
        var values = new GoldilocksExt2[2 + rLimbs + zLimbs + (ranged.HasValue ? 1 : 0)];
        reader.ReadExt(values);
        transcript.Absorb("rescale.values", values);
        GoldilocksExt2 zValue = values[0], rValue = values[1], rangedValue = ranged.HasValue ? values[^1] : zValue;
        if (!RangeLimbs.Recomposes(rValue, values.AsSpan(2, rLimbs), shape.Shift)) return false;
        if (!RangeLimbs.Recomposes(rangedValue + Goldilocks.FromUInt64(1UL << (shape.ValueBits - 1)), values.AsSpan(2 + rLimbs, zLimbs), shape.ValueBits)) return false;

        GoldilocksExt2 claim = Goldilocks.FromUInt64(1UL << shape.Shift) * zValue + rValue - Goldilocks.FromUInt64(1UL << (shape.Shift - 1));
        if (!MatrixProductSumcheck.Verify(transcript, new MatrixShape(rp, kp, cp), claim, SumcheckProof.ReadFrom(ref reader), out var product)) return false;
        Claims(shape, p, product.Point, product.Evaluations, values, step.Claim, a, w, z, r, l, ranged);
        return true;
    }

    private static void Begin(Transcript transcript, RescaledProductShape shape) =>
        transcript.Absorb("rescale.shape", [Goldilocks.FromUInt64((ulong)shape.Rows), Goldilocks.FromUInt64((ulong)shape.Inner),
            Goldilocks.FromUInt64((ulong)shape.Columns), Goldilocks.FromUInt64((ulong)shape.Shift), Goldilocks.FromUInt64((ulong)shape.ValueBits),
            Goldilocks.FromUInt64(shape.TransposeA ? 1UL : 0), Goldilocks.FromUInt64(shape.TransposeW ? 1UL : 0), Goldilocks.FromUInt64((ulong)shape.Multiplier)]);

    /// <summary>The claims: A and W at the sumcheck's point (in their stored layouts), Z, R, every limb table and the ranged table (if any) at p.</summary>
    private static void Claims(RescaledProductShape shape, GoldilocksExt2[] p, ReadOnlySpan<GoldilocksExt2> rk,
        ReadOnlySpan<GoldilocksExt2> product, GoldilocksExt2[] values, Action<StepOracle, GoldilocksExt2[], GoldilocksExt2> claim,
        StepOracle a, StepOracle w, StepOracle z, StepOracle r, StepOracle[] l, StepOracle? ranged)
    {
        var (pRow, pColumn) = (p[..shape.RowVariables], p[shape.RowVariables..]);
        claim(a, shape.TransposeA ? [.. rk, .. pRow] : [.. pRow, .. rk], product[0] * Goldilocks.Inverse(Goldilocks.FromUInt64((ulong)shape.Multiplier)));
        claim(w, shape.TransposeW ? [.. rk, .. pColumn] : [.. pColumn, .. rk], product[1]);
        claim(z, p, values[0]);
        claim(r, p, values[1]);
        ClaimLimbs(claim, l, p, values.AsSpan(2, l.Length));
        if (ranged.HasValue) claim(ranged.Value, p, values[^1]);
    }

    /// <summary>Limb table b at p = blockValues[b], for every limb table.</summary>
    internal static void ClaimLimbs(Action<StepOracle, GoldilocksExt2[], GoldilocksExt2> claim, StepOracle[] l, GoldilocksExt2[] p, ReadOnlySpan<GoldilocksExt2> blockValues)
    {
        for (int b = 0; b < l.Length; b++) claim(l[b], p, blockValues[b]);
    }

    private static void Limbs(long value, int bits, Span<long> limbs, bool @unchecked)
    {
        if (!@unchecked || (value >= 0 && value < 1L << bits))
        {
            RangeLimbs.Decompose(value, bits, limbs);
            return;
        }
        // A cheating prover's limbs: they recompose the value, but the top one is outside the table.
        int t = (bits + RangeLimbs.LimbBits - 1) / RangeLimbs.LimbBits;
        for (int i = 0; i < t - 1; i++) limbs[i] = (value >> (RangeLimbs.LimbBits * i)) & ((1L << RangeLimbs.LimbBits) - 1);
        limbs[t - 1] = value >> (RangeLimbs.LimbBits * (t - 1));
        if (bits % RangeLimbs.LimbBits != 0) limbs[t] = limbs[t - 1] + (1L << RangeLimbs.LimbBits) - (1L << (bits - RangeLimbs.LimbBits * (t - 1)));
    }
}
