using System.Buffers;
using System.Runtime.CompilerServices;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Msm;

/// <summary>
/// Pending affine G2 bucket additions (bucket += point, distinct x, no infinity) computed in vector lanes, eight at a
/// time in AVX-512 (<see cref="FqVector8"/>), else four in AVX2 (<see cref="FqVector4"/>), written once over
/// <see cref="ILaneVector{TSelf}"/> as <see cref="LaneBatchAdder"/> is: each Fq2 coordinate is two lane vectors (c0, c1),
/// an Fq2 product three lane products (Karatsuba, u^2 = -1). Slopes share one Fq2 inversion per flush (Montgomery's
/// trick per lane, then over the lanes).
/// Points and buckets stay in the scalar Montgomery form (x 2^256): the lanes' product divides by 2^261, so a scalar-form
/// value reads there as x/32. Sums, differences and the slope (a quotient) carry that factor through; only lambda^2 needs
/// one more division by 32 (a product by 2^256 mod p) to come out in the scalar form. No conversion of the bases.
/// </summary>
internal sealed class Fq2LaneBatchAdder
{
    private readonly int[] bucketOf;
    private readonly AffinePoint<Fq2>[] addend;
    // Per group of Width additions (c0, c1 each), six regions of 2 * groups: x1, y1, x1 + x2, x2 - x1, y2 - y1 and the
    // running product of denominators (a FqVector8[] or FqVector4[]). Pooled with the addends (see Release), as in
    // LaneBatchAdder.
    private readonly Array lanes;
    private readonly bool wide; // FqVector8 lanes, else FqVector4
    private readonly int groups;
    private int usedGroups, usedAddends;
    private readonly ulong[] scratch = new ulong[8 * 32];
    public int Count;

    public Fq2LaneBatchAdder(int capacity)
    {
        capacity = (capacity + 7) & ~7;
        bucketOf = new int[capacity];
        addend = ArrayPool<AffinePoint<Fq2>>.Shared.Rent(capacity);
        wide = FqVector8.IsSupported && !LaneBatchAdder.PreferAvx2;
        groups = capacity / (wide ? FqVector8.Width : FqVector4.Width);
        lanes = wide ? ArrayPool<FqVector8>.Shared.Rent(12 * groups) : ArrayPool<FqVector4>.Shared.Rent(12 * groups);
    }

    /// <summary>Gives the pooled arrays back, cleared where used (bucket values follow the scalars); the adder is then dead.</summary>
    public void Release()
    {
        for (int r = 0; r < 6; r++) Array.Clear(lanes, r * 2 * groups, 2 * usedGroups);
        Array.Clear(addend, 0, usedAddends);
        if (wide) ArrayPool<FqVector8>.Shared.Return((FqVector8[])lanes);
        else ArrayPool<FqVector4>.Shared.Return((FqVector4[])lanes);
        ArrayPool<AffinePoint<Fq2>>.Shared.Return(addend);
    }

    /// <summary>Queues bucket += p; the caller guarantees the bucket is not infinity and its x differs from p's.</summary>
    public void Add(int bucket, in AffinePoint<Fq2> p)
    {
        int k = Count++;
        bucketOf[k] = bucket;
        addend[k] = p;
        if (Count > usedAddends) usedAddends = Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TV>(Span<ulong> dst, int lane, in Bn254Fq a) where TV : struct, ILaneVector<TV> =>
        a.GetMontgomeryLimbs(out dst[lane], out dst[TV.Width + lane], out dst[2 * TV.Width + lane], out dst[3 * TV.Width + lane]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Bn254Fq Get<TV>(ReadOnlySpan<ulong> src, int lane) where TV : struct, ILaneVector<TV> =>
        Bn254Fq.FromMontgomeryLimbs(src[lane], src[TV.Width + lane], src[2 * TV.Width + lane], src[3 * TV.Width + lane]);

    /// <summary>
    /// Lane-wise Fq2 product (Karatsuba). With components below Ap and Bp (AB &lt; 500): c0 below (AB/168 + 9)p and c1
    /// below (4AB/168 + 17)p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mul2<TV>(in TV a0, in TV a1, in TV b0, in TV b1, out TV c0, out TV c1) where TV : struct, ILaneVector<TV>
    {
        var t0 = TV.Mul(a0, b0);
        var t1 = TV.Mul(a1, b1);
        var t2 = TV.Mul(TV.Add(a0, a1), TV.Add(b0, b1));
        c0 = TV.SubSmall(t0, t1);
        c1 = TV.SubLarge(t2, TV.Add(t0, t1));
    }

    /// <summary>Runs the queued additions into <paramref name="buckets"/> and clears their <paramref name="pending"/> flags.</summary>
    public void Flush(AffinePoint<Fq2>[] buckets, bool[] pending)
    {
        if (wide) Flush<FqVector8>(buckets, pending);
        else Flush<FqVector4>(buckets, pending);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Flush<TV>(AffinePoint<Fq2>[] buckets, bool[] pending) where TV : struct, ILaneVector<TV>
    {
        int count = Count;
        if (count == 0) return;
        int width = TV.Width;
        var lanes = Unsafe.As<TV[]>(this.lanes);
        int groups = (count + width - 1) / width;
        if (groups > usedGroups) usedGroups = groups;
        int stride = 2 * this.groups;
        var x1 = lanes.AsSpan(0, stride);
        var y1 = lanes.AsSpan(stride, stride);
        var sum = lanes.AsSpan(2 * stride, stride);
        var den = lanes.AsSpan(3 * stride, stride);
        var num = lanes.AsSpan(4 * stride, stride);
        var prefix = lanes.AsSpan(5 * stride, stride);
        Span<ulong> s = scratch;
        int size = 4 * width;
        Span<ulong> bx0 = s[..size], bx1 = s.Slice(32, size), by0 = s.Slice(64, size), by1 = s.Slice(96, size),
            px0 = s.Slice(128, size), px1 = s.Slice(160, size), py0 = s.Slice(192, size), py1 = s.Slice(224, size);

        // Bounds (multiples of p) in the comments; inputs are canonical. The denominators' running product stays below 19p.
        TV acc0 = default, acc1 = default;
        for (int g = 0; g < groups; g++)
        {
            for (int lane = 0; lane < width; lane++)
            {
                int k = Math.Min(width * g + lane, count - 1); // pad the last group by repeating an entry (not written back)
                ref var b = ref buckets[bucketOf[k]];
                ref var q = ref addend[k];
                Put<TV>(bx0, lane, b.X.C0); Put<TV>(bx1, lane, b.X.C1); Put<TV>(by0, lane, b.Y.C0); Put<TV>(by1, lane, b.Y.C1);
                Put<TV>(px0, lane, q.X.C0); Put<TV>(px1, lane, q.X.C1); Put<TV>(py0, lane, q.Y.C0); Put<TV>(py1, lane, q.Y.C1);
            }
            var ax0 = TV.FromLimbs(bx0);
            var ax1 = TV.FromLimbs(bx1);
            var ay0 = TV.FromLimbs(by0);
            var ay1 = TV.FromLimbs(by1);
            var qx0 = TV.FromLimbs(px0);
            var qx1 = TV.FromLimbs(px1);
            var qy0 = TV.FromLimbs(py0);
            var qy1 = TV.FromLimbs(py1);
            x1[2 * g] = ax0; x1[2 * g + 1] = ax1;
            y1[2 * g] = ay0; y1[2 * g + 1] = ay1;
            sum[2 * g] = TV.Add(ax0, qx0); sum[2 * g + 1] = TV.Add(ax1, qx1); // < 2p
            var d0 = TV.SubCanonical(qx0, ax0); // < 3p
            var d1 = TV.SubCanonical(qx1, ax1);
            den[2 * g] = d0; den[2 * g + 1] = d1;
            num[2 * g] = TV.SubCanonical(qy0, ay0); // < 3p
            num[2 * g + 1] = TV.SubCanonical(qy1, ay1);
            if (g == 0) { acc0 = d0; acc1 = d1; }
            else Mul2(acc0, acc1, d0, d1, out acc0, out acc1); // A = 19, B = 3: < 9.4p, < 18.4p
            prefix[2 * g] = acc0; prefix[2 * g + 1] = acc1;
        }

        InvertLanes<TV>(ref acc0, ref acc1); // < 2p
        for (int g = groups - 1; g >= 0; g--)
        {
            TV i0, i1;
            if (g > 0)
            {
                Mul2(acc0, acc1, prefix[2 * g - 2], prefix[2 * g - 1], out i0, out i1); // 19 x 19: < 11.2p, < 25.6p
                Mul2(acc0, acc1, den[2 * g], den[2 * g + 1], out acc0, out acc1);      // stays < 19p
            }
            else { i0 = acc0; i1 = acc1; }
            // lambda = (y2 - y1) / (x2 - x1), exact in the lanes' reading (the factors 1/32 cancel).
            Mul2(num[2 * g], num[2 * g + 1], i0, i1, out var l0, out var l1); // 3 x 26: < 9.5p, < 18.9p
            Mul2(l0, l1, l0, l1, out var s0, out var s1);                    // 19 x 19: < 11.2p, < 25.6p
            // lambda^2 / 32 in the lanes' reading has lambda^2 in the scalar form as its raw value.
            s0 = TV.FromLaneForm(s0); // the product by 2^256 divides by 32; < 2p
            s1 = TV.FromLaneForm(s1);
            var x30 = TV.SubSmall(s0, sum[2 * g]); // < 10p
            var x31 = TV.SubSmall(s1, sum[2 * g + 1]);
            var e0 = TV.SubLarge(x1[2 * g], x30); // < 17p
            var e1 = TV.SubLarge(x1[2 * g + 1], x31);
            Mul2(l0, l1, e0, e1, out var m0, out var m1); // 19 x 17: < 10.9p, < 24.7p
            var y30 = TV.SubCanonical(m0, y1[2 * g]); // < 27p
            var y31 = TV.SubCanonical(m1, y1[2 * g + 1]);
            TV.ToLimbsBelow16P(x30, bx0);
            TV.ToLimbsBelow16P(x31, bx1);
            TV.ToLimbsBelow32P(y30, by0);
            TV.ToLimbsBelow32P(y31, by1);
            int used = Math.Min(width, count - width * g);
            for (int lane = 0; lane < used; lane++)
            {
                int bucket = bucketOf[width * g + lane];
                ref var b = ref buckets[bucket];
                b.X = new Fq2(Get<TV>(bx0, lane), Get<TV>(bx1, lane));
                b.Y = new Fq2(Get<TV>(by0, lane), Get<TV>(by1, lane));
                pending[bucket] = false;
            }
        }
        Count = 0;
    }

    /// <summary>Lane-wise Fq2 inverse: the lanes' values go to the scalar side, are inverted with one Fq2 inversion, and come back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InvertLanes<TV>(ref TV a0, ref TV a1) where TV : struct, ILaneVector<TV>
    {
        int width = TV.Width;
        Span<ulong> limbs0 = scratch.AsSpan(0, 4 * width), limbs1 = scratch.AsSpan(32, 4 * width);
        TV.ToLimbs(TV.FromLaneForm(a0), limbs0);
        TV.ToLimbs(TV.FromLaneForm(a1), limbs1);
        Span<Fq2> values = stackalloc Fq2[8];
        Span<Fq2> running = stackalloc Fq2[8];
        var product = Fq2.One;
        for (int lane = 0; lane < width; lane++)
        {
            values[lane] = new Fq2(Get<TV>(limbs0, lane), Get<TV>(limbs1, lane));
            running[lane] = product;
            product *= values[lane];
        }
        var inv = Fq2.InverseVartime(product); // public points; the batches already vary with the digits
        for (int lane = width - 1; lane >= 0; lane--)
        {
            var v = inv * running[lane];
            Put<TV>(limbs0, lane, v.C0);
            Put<TV>(limbs1, lane, v.C1);
            inv *= values[lane];
        }
        a0 = TV.ToLaneForm(TV.FromLimbs(limbs0));
        a1 = TV.ToLaneForm(TV.FromLimbs(limbs1));
    }
}
