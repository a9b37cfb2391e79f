using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Msm;

/// <summary>
/// The bucket reduction sum_b (b + 1) B_b of G1 windows with affine buckets in the lanes' form, done with batched affine
/// additions instead of two Jacobian additions per bucket. Each window's buckets are cut into segments of
/// <see cref="SegmentLength"/>; the running-sum recurrences of all segments of all windows advance together, one
/// batch (one shared inversion) per step:
/// run_g += B_(gL + j), then total_g += run_g, for j from L - 1 down to 0. Then
/// sum_b (b + 1) B_b = sum_g total_g + L sum_g g run_g, combined per window in Jacobian coordinates.
/// A doubling case (an accumulator equal to its addend) is taken out of the recurrence and added with its weight.
/// </summary>
internal static class LaneBucketReduction
{
    private const int SegmentLength = 32; // a power of two: L * x is five doublings

    /// <summary>2^251 mod p as raw limbs: Bn254Fq.Mul(x 2^261, this) = x 2^256, from the lanes' form to the scalar one.</summary>
    private static readonly Bn254Fq LaneToScalar = FromRaw(BigInteger.ModPow(2, 251, Bn254Fq.Modulus));

    private static Bn254Fq FromRaw(BigInteger v)
    {
        Mont256Limbs(v, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return Bn254Fq.FromMontgomeryLimbs(l0, l1, l2, l3);
    }

    private static void Mont256Limbs(BigInteger v, out ulong l0, out ulong l1, out ulong l2, out ulong l3)
    {
        var mask = ulong.MaxValue;
        l0 = (ulong)(v & mask); l1 = (ulong)((v >> 64) & mask); l2 = (ulong)((v >> 128) & mask); l3 = (ulong)((v >> 192) & mask);
    }

    /// <summary>A point in the lanes' form as a Jacobian point in the scalar form.</summary>
    public static JacobianPoint<Bn254Fq> ToScalarForm(in AffinePoint<Bn254Fq> p) =>
        new(Bn254Fq.Mul(p.X, LaneToScalar), Bn254Fq.Mul(p.Y, LaneToScalar), Bn254Fq.One);

    /// <summary>
    /// Per slot s: sum_b (b + 1) (B_b + O_b) over b &lt;= top[s], with B_b = buckets[s * bucketCount + b] (affine, lanes'
    /// form) and O_b the Jacobian overflow bucket at the same index (scalar form; null when none is used).
    /// </summary>
    public static JacobianPoint<Bn254Fq>[] Reduce(AffinePoint<Bn254Fq>[] buckets, int bucketCount, int[] top, JacobianPoint<Bn254Fq>[]? overflow)
    {
        int slots = top.Length;
        var chainStart = new int[slots + 1];
        for (int s = 0; s < slots; s++) chainStart[s + 1] = chainStart[s] + (top[s] + SegmentLength) / SegmentLength;
        int chains = chainStart[slots];
        var run = new AffinePoint<Bn254Fq>[chains];
        var total = new AffinePoint<Bn254Fq>[chains];
        for (int k = 0; k < chains; k++) { run[k].IsInfinity = true; total[k].IsInfinity = true; }
        var side = new JacobianPoint<Bn254Fq>[slots];
        for (int s = 0; s < slots; s++) side[s] = CurveArithmetic<Bn254Fq>.Infinity;
        var adder = new LaneBatchAdder(Math.Max(chains, 1), Math.Max(chains, 8));

        for (int j = SegmentLength - 1; j >= 0; j--)
        {
            for (int s = 0; s < slots; s++)
            {
                for (int k = chainStart[s]; k < chainStart[s + 1]; k++)
                {
                    int b = (k - chainStart[s]) * SegmentLength + j;
                    if (b > top[s]) continue;
                    ref var bucket = ref buckets[s * bucketCount + b];
                    if (!bucket.IsInfinity) Accumulate(run, k, bucket, adder, ref side[s], (ulong)b + 1);
                }
            }
            adder.Flush(run);
            for (int s = 0; s < slots; s++)
            {
                for (int k = chainStart[s]; k < chainStart[s + 1]; k++)
                {
                    if (!run[k].IsInfinity) Accumulate(total, k, run[k], adder, ref side[s], 1);
                }
            }
            adder.Flush(total);
        }

        adder.Release();
        LaneBatchAdder.ConvertPoints(run, run, toLaneForm: false);
        LaneBatchAdder.ConvertPoints(total, total, toLaneForm: false);
        var sums = new JacobianPoint<Bn254Fq>[slots];
        Span<ulong> weight = stackalloc ulong[1];
        for (int s = 0; s < slots; s++)
        {
            var sum = side[s];
            var running = CurveArithmetic<Bn254Fq>.Infinity;
            var weighted = CurveArithmetic<Bn254Fq>.Infinity;
            for (int k = chainStart[s + 1] - 1; k >= chainStart[s]; k--)
            {
                sum = CurveArithmetic<Bn254Fq>.AddMixed(sum, total[k]);
                if (k == chainStart[s]) break; // segment 0 has weight 0 in sum_g g run_g
                running = CurveArithmetic<Bn254Fq>.AddMixed(running, run[k]);
                weighted = CurveArithmetic<Bn254Fq>.Add(weighted, running);
            }
            for (int d = SegmentLength; d > 1; d >>= 1) weighted = CurveArithmetic<Bn254Fq>.Double(weighted);
            sum = CurveArithmetic<Bn254Fq>.Add(sum, weighted);
            if (overflow != null)
            {
                for (int b = 0; b <= top[s]; b++)
                {
                    ref var o = ref overflow[s * bucketCount + b];
                    if (o.IsInfinity) continue;
                    weight[0] = (ulong)b + 1;
                    sum = CurveArithmetic<Bn254Fq>.Add(sum, CurveArithmetic<Bn254Fq>.MulVarTime(o, weight));
                }
            }
            sums[s] = sum;
        }
        return sums;
    }

    /// <summary>accumulators[k] += p (both in the lanes' form), queued in the batch unless a special case settles it here.</summary>
    private static void Accumulate(AffinePoint<Bn254Fq>[] accumulators, int k, in AffinePoint<Bn254Fq> p, LaneBatchAdder adder,
        ref JacobianPoint<Bn254Fq> side, ulong weight)
    {
        ref var acc = ref accumulators[k];
        if (acc.IsInfinity) { acc = p; return; }
        if (acc.X == p.X)
        {
            if (acc.Y != p.Y) { acc.IsInfinity = true; return; } // p = -acc
            // Doubling: leave p out of the recurrence and add weight * p directly.
            Span<ulong> w = [weight];
            side = CurveArithmetic<Bn254Fq>.Add(side, CurveArithmetic<Bn254Fq>.MulVarTime(ToScalarForm(p), w));
            return;
        }
        adder.Add(k, p);
    }
}
