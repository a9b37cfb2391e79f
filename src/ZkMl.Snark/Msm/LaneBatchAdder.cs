using System.Buffers;
using System.Runtime.CompilerServices;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Msm;

/// <summary>
/// Pending affine G1 bucket additions (bucket += point, distinct x, no infinity) computed eight at a time in AVX-512
/// lanes (<see cref="FqVector8"/>). Slopes share one field inversion per flush: each lane keeps its own running
/// product of denominators and the eight lane products are inverted together on the scalar side (Montgomery's trick).
/// Points and buckets hold canonical coordinates in the lanes' Montgomery form (x 2^261 mod p, see
/// <see cref="ConvertPoints"/>), so loading them is a repacking and the caller's exact x-equality tests still hold.
/// </summary>
internal sealed class LaneBatchAdder
{
    private readonly int[] bucketOf;
    private readonly AffinePoint<Bn254Fq>[] addend;
    private readonly bool[] pending;
    // Per group of eight additions, six regions of `groups` each: x1, y1, x1 + x2, x2 - x1, y2 - y1 and the running
    // product of denominators. Pooled with the addends (see Release): fresh ones were 5-12% of a small proof's CPU, in
    // page faults.
    private readonly FqVector8[] lanes;
    private readonly int groups;
    private int usedGroups, usedAddends;
    private readonly ulong[] scratch = new ulong[4 * 32];
    public int Count;

    public LaneBatchAdder(int bucketCount, int capacity)
    {
        capacity = (capacity + 7) & ~7;
        bucketOf = new int[capacity];
        addend = ArrayPool<AffinePoint<Bn254Fq>>.Shared.Rent(capacity);
        pending = new bool[bucketCount];
        groups = capacity / 8;
        lanes = ArrayPool<FqVector8>.Shared.Rent(6 * groups);
    }

    /// <summary>Gives the pooled arrays back, cleared where used (bucket values follow the scalars); the adder is then dead.</summary>
    public void Release()
    {
        for (int r = 0; r < 6; r++) Array.Clear(lanes, r * groups, usedGroups);
        Array.Clear(addend, 0, usedAddends);
        ArrayPool<FqVector8>.Shared.Return(lanes);
        ArrayPool<AffinePoint<Bn254Fq>>.Shared.Return(addend);
    }

    public bool Pending(int bucket) => pending[bucket];

    /// <summary>Queues bucket += p; the caller guarantees the bucket is not infinity and its x differs from p's.</summary>
    public void Add(int bucket, in AffinePoint<Bn254Fq> p)
    {
        int k = Count++;
        bucketOf[k] = bucket;
        addend[k] = p;
        if (Count > usedAddends) usedAddends = Count;
        pending[bucket] = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Span<ulong> dst, int lane, in Bn254Fq a)
    {
        a.GetMontgomeryLimbs(out dst[lane], out dst[8 + lane], out dst[16 + lane], out dst[24 + lane]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Bn254Fq Get(ReadOnlySpan<ulong> src, int lane) =>
        Bn254Fq.FromMontgomeryLimbs(src[lane], src[8 + lane], src[16 + lane], src[24 + lane]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush(AffinePoint<Bn254Fq>[] buckets)
    {
        int count = Count;
        if (count == 0) return;
        int groups = (count + 7) / 8;
        if (groups > usedGroups) usedGroups = groups;
        int stride = this.groups;
        var x1 = lanes.AsSpan(0, stride);
        var y1 = lanes.AsSpan(stride, stride);
        var sum = lanes.AsSpan(2 * stride, stride);
        var den = lanes.AsSpan(3 * stride, stride);
        var num = lanes.AsSpan(4 * stride, stride);
        var prefix = lanes.AsSpan(5 * stride, stride);
        Span<ulong> s = scratch;
        Span<ulong> bx = s[..32], by = s[32..64], px = s[64..96], py = s[96..];

        FqVector8 acc = default;
        for (int g = 0; g < groups; g++)
        {
            for (int lane = 0; lane < 8; lane++)
            {
                int k = Math.Min(8 * g + lane, count - 1); // pad the last group by repeating an entry (not written back)
                ref var b = ref buckets[bucketOf[k]];
                ref var q = ref addend[k];
                Put(bx, lane, b.X); Put(by, lane, b.Y);
                Put(px, lane, q.X); Put(py, lane, q.Y);
            }
            var a1 = FqVector8.FromLimbs(bx);
            var b1 = FqVector8.FromLimbs(by);
            var a2 = FqVector8.FromLimbs(px);
            var b2 = FqVector8.FromLimbs(py);
            x1[g] = a1;
            y1[g] = b1;
            sum[g] = FqVector8.Add(a1, a2);
            var d = FqVector8.SubSmall(a2, a1);
            den[g] = d;
            num[g] = FqVector8.SubSmall(b2, b1);
            acc = g == 0 ? d : FqVector8.Mul(acc, d);
            prefix[g] = acc;
        }

        var inv = InvertLanes(acc);
        for (int g = groups - 1; g >= 0; g--)
        {
            var invG = g > 0 ? FqVector8.Mul(inv, prefix[g - 1]) : inv;
            if (g > 0) inv = FqVector8.Mul(inv, den[g]);
            var lambda = FqVector8.Mul(num[g], invG);
            var x3 = FqVector8.SubSmall(FqVector8.Mul(lambda, lambda), sum[g]);
            var y3 = FqVector8.SubSmall(FqVector8.Mul(lambda, FqVector8.SubLarge(x1[g], x3)), y1[g]);
            FqVector8.ToLimbsBelow16P(x3, bx);
            FqVector8.ToLimbsBelow16P(y3, by);
            int lanes = Math.Min(8, count - 8 * g);
            for (int lane = 0; lane < lanes; lane++)
            {
                int bucket = bucketOf[8 * g + lane];
                ref var b = ref buckets[bucket];
                b.X = Get(bx, lane);
                b.Y = Get(by, lane);
                pending[bucket] = false;
            }
        }
        Count = 0;
    }

    /// <summary>Lane-wise inverse: the eight values go to the scalar side, are inverted with one field inversion, and come back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FqVector8 InvertLanes(in FqVector8 a)
    {
        Span<ulong> limbs = scratch.AsSpan(0, 32);
        FqVector8.ToLimbs(FqVector8.FromLaneForm(a), limbs);
        Span<Bn254Fq> values = stackalloc Bn254Fq[8];
        Span<Bn254Fq> running = stackalloc Bn254Fq[8];
        var product = Bn254Fq.One;
        for (int lane = 0; lane < 8; lane++)
        {
            values[lane] = Get(limbs, lane);
            running[lane] = product;
            product *= values[lane];
        }
        var inv = Bn254Fq.InverseVartime(product); // public points; the batches already vary with the digits
        for (int lane = 7; lane >= 0; lane--)
        {
            Put(limbs, lane, inv * running[lane]);
            inv *= values[lane];
        }
        return FqVector8.ToLaneForm(FqVector8.FromLimbs(limbs));
    }

    /// <summary>
    /// Rewrites points' coordinates between the scalar Montgomery form (x 2^256 mod p) and the lanes' (x 2^261 mod p),
    /// both canonical; infinity flags are copied. With <paramref name="xFactor"/>, x is also multiplied by it (the GLV
    /// endomorphism's (βx, y)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ConvertPoints(ReadOnlySpan<AffinePoint<Bn254Fq>> source, Span<AffinePoint<Bn254Fq>> destination, bool toLaneForm,
        Bn254Fq? xFactor = null)
    {
        Span<ulong> x = stackalloc ulong[32];
        Span<ulong> y = stackalloc ulong[32];
        // The lanes' product divides by 2^261, so a factor in the lanes' form keeps either form.
        FqVector8 factor = default;
        if (xFactor is { } f)
        {
            for (int lane = 0; lane < 8; lane++) Put(x, lane, f);
            factor = FqVector8.ToLaneForm(FqVector8.FromLimbs(x));
        }
        for (int start = 0; start < source.Length; start += 8)
        {
            int lanes = Math.Min(8, source.Length - start);
            for (int lane = 0; lane < 8; lane++)
            {
                ref readonly var p = ref source[start + Math.Min(lane, lanes - 1)];
                Put(x, lane, p.X);
                Put(y, lane, p.Y);
            }
            var vx = FqVector8.FromLimbs(x);
            var vy = FqVector8.FromLimbs(y);
            var cx = toLaneForm ? FqVector8.ToLaneForm(vx) : FqVector8.FromLaneForm(vx);
            FqVector8.ToLimbs(xFactor.HasValue ? FqVector8.Mul(cx, factor) : cx, x);
            FqVector8.ToLimbs(toLaneForm ? FqVector8.ToLaneForm(vy) : FqVector8.FromLaneForm(vy), y);
            for (int lane = 0; lane < lanes; lane++)
                destination[start + lane] = new AffinePoint<Bn254Fq>(Get(x, lane), Get(y, lane), source[start + lane].IsInfinity);
        }
    }
}
