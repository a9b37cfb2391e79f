using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The witness of a rescaled product of the step: Z = Rescale_k(c A W^T) for padded tables A, W, Z
/// (<see cref="RescaledProductShape"/>, c its multiplier: the learning-rate numerator of an update, else 1), with
/// Rescale_k as in docs/fixed-point.md and every quotient in ValueBits signed bits: the honest quotients and remainders,
/// the padding, the field encoding and the 16-bit limb tables (those of R in [0, 2^k) and of Z + 2^(B-1) in [0, 2^B),
/// <see cref="RangeLimbs"/>) the step stacks. The block itself is <see cref="ZeroCheck.RescaledProduct"/>:
/// 2^k Z + R - 2^(k-1) = c A W^T with the limbs' range proven by the step's shared lookup. With the ranges proven,
/// |2^k Z + R - 2^(k-1)| &lt;= 2^(B+k-1) + 2^(k-1) (B + k &lt;= 62 is required), so when the true integer c A W^T entry
/// plus that is below p in absolute value (the operands' proven ranges bound it: <see cref="WrapBound"/>, checked at
/// setup for every product of the step) both sides are the same integer and (Z, R) is its unique floor division:
/// Z = Rescale_k(c A W^T) exactly. The backward product range-checks D = S o Q in place of Q (<see cref="Compute"/>).
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
        // A's rows and W's columns made contiguous over k, then rows in parallel; a row's failure is kept and the first
        // failing row's rethrown after the loop, so the exception is the one the entries' order meets first.
        int rows = shape.Rows, columns = shape.Columns, inner = shape.Inner;
        var aRows = new long[rows * inner];
        var wColumns = new long[columns * inner];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < inner; k++) aRows[i * inner + k] = shape.A(a, i, k, rows, inner);
        for (int j = 0; j < columns; j++)
            for (int k = 0; k < inner; k++) wColumns[j * inner + k] = shape.W(w, j, k, columns, inner);
        long[]? maskTable = mask.IsEmpty ? null : mask.ToArray();
        Parallelism.ForInOrder(0, rp, i =>
        {
            for (int j = 0; j < cp; j++)
            {
                Int128 sum = 0;
                if (i < rows && j < columns)
                {
                    sum = Dot(aRows.AsSpan(i * inner, inner), wColumns.AsSpan(j * inner, inner));
                    sum *= shape.Multiplier;
                }
                int e = i * cp + j;
                var q = FixedPoint.Rescale(sum, shape.Shift, out r[e]);
                if (maskTable is not null && maskTable[e] == 0)
                {
                    z[e] = Centered(q);
                    continue;
                }
                z[e] = FixedPoint.CheckRange(q, reference, $"product[{i}, {j}]");
                if (!FixedPoint.FitsSigned(q, shape.ValueBits)) throw WrapBound.Unsupported($"product[{i}, {j}]", q, shape.ValueBits);
            }
        });
        return (z, r);
    }

    /// <summary>The exact integer sum of a[k] w[k] (128-bit: each product is exact, the carries kept).</summary>
    private static Int128 Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> w)
    {
        ulong low = 0;
        long high = 0;
        for (int k = 0; k < a.Length; k++)
        {
            long h = Math.BigMul(a[k], w[k], out long l);
            ulong next = low + (ulong)l;
            high += h + (next < low ? 1 : 0);
            low = next;
        }
        return new Int128((ulong)high, low);
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
        long zOffset = 1L << (shape.ValueBits - 1);
        // Entries by chunks; a chunk's failure is kept and the first chunk's rethrown (the serial order's first).
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, size >> 12));
        Parallelism.ForInOrder(0, chunks, c =>
        {
            Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
            for (int e = (int)((long)size * c / chunks), end = (int)((long)size * (c + 1) / chunks); e < end; e++)
            {
                Limbs(rTable[e], shape.Shift, scratch, @unchecked);
                for (int b = 0; b < rLimbs; b++) limbs[b][e] = Goldilocks.FromInt64(scratch[b]);
                Limbs(zTable[e] + zOffset, shape.ValueBits, scratch, @unchecked);
                for (int b = 0; b < zLimbs; b++) limbs[rLimbs + b][e] = Goldilocks.FromInt64(scratch[b]);
            }
        });
        return limbs;
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
