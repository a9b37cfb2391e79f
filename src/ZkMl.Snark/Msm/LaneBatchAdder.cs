using System.Buffers;
using System.Runtime.CompilerServices;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Msm;

/// <summary>
/// Pending affine G1 bucket additions (bucket += point, distinct x, no infinity) computed in vector lanes: eight at a
/// time in AVX-512 (<see cref="FqVector8"/>), else four in AVX2 (<see cref="FqVector4"/>); the arithmetic is written once,
/// generic over <see cref="ILaneVector{TSelf}"/>, and the width is chosen per adder. Slopes share one field inversion per
/// flush: each lane keeps its own running product of denominators and the lane products are inverted together on the
/// scalar side (Montgomery's trick). Points and buckets hold canonical coordinates in the lanes' Montgomery form
/// (x 2^261 mod p, the same for both widths, see <see cref="ConvertPoints"/>), so loading them is a repacking and the
/// caller's exact x-equality tests still hold.
/// </summary>
internal sealed class LaneBatchAdder
{
    /// <summary>Whether the lanes run on this CPU at some width (AVX-512F or AVX2).</summary>
    public static bool IsSupported => FqVector8.IsSupported || FqVector4.IsSupported;

    /// <summary>
    /// Tests only: new adders use the 4-lane AVX2 form even where AVX-512 is there (both widths give the same sums, so a
    /// concurrent reader of the flag only changes which code runs).
    /// </summary>
    internal static bool PreferAvx2;

    private readonly int[] bucketOf;
    private readonly AffinePoint<Bn254Fq>[] addend;
    private readonly bool[] pending;
    private readonly bool wide; // FqVector8 lanes, else FqVector4
    // Per group of Width additions, six regions of `groups` each: x1, y1, x1 + x2, x2 - x1, y2 - y1 and the running
    // product of denominators (a FqVector8[] or FqVector4[]). Pooled with the addends (see Release): fresh ones were
    // 5-12% of a small proof's CPU, in page faults.
    private readonly Array lanes;
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
        wide = FqVector8.IsSupported && !PreferAvx2;
        groups = capacity / (wide ? FqVector8.Width : FqVector4.Width);
        lanes = wide ? ArrayPool<FqVector8>.Shared.Rent(6 * groups) : ArrayPool<FqVector4>.Shared.Rent(6 * groups);
    }

    /// <summary>Gives the pooled arrays back, cleared where used (bucket values follow the scalars); the adder is then dead.</summary>
    public void Release()
    {
        for (int r = 0; r < 6; r++) Array.Clear(lanes, r * groups, usedGroups);
        Array.Clear(addend, 0, usedAddends);
        if (wide) ArrayPool<FqVector8>.Shared.Return((FqVector8[])lanes);
        else ArrayPool<FqVector4>.Shared.Return((FqVector4[])lanes);
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
    private static void Put<TV>(Span<ulong> dst, int lane, in Bn254Fq a) where TV : struct, ILaneVector<TV>
    {
        int w = TV.Width;
        a.GetMontgomeryLimbs(out dst[lane], out dst[w + lane], out dst[2 * w + lane], out dst[3 * w + lane]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Bn254Fq Get<TV>(ReadOnlySpan<ulong> src, int lane) where TV : struct, ILaneVector<TV>
    {
        int w = TV.Width;
        return Bn254Fq.FromMontgomeryLimbs(src[lane], src[w + lane], src[2 * w + lane], src[3 * w + lane]);
    }

    /// <summary>Runs the queued additions into <paramref name="buckets"/> and empties the queue.</summary>
    public void Flush(AffinePoint<Bn254Fq>[] buckets)
    {
        if (wide) Flush<FqVector8>(buckets);
        else Flush<FqVector4>(buckets);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Flush<TV>(AffinePoint<Bn254Fq>[] buckets) where TV : struct, ILaneVector<TV>
    {
        int count = Count;
        if (count == 0) return;
        int width = TV.Width;
        var lanes = Unsafe.As<TV[]>(this.lanes);
        int groups = (count + width - 1) / width;
        if (groups > usedGroups) usedGroups = groups;
        int stride = this.groups;
        var x1 = lanes.AsSpan(0, stride);
        var y1 = lanes.AsSpan(stride, stride);
        var sum = lanes.AsSpan(2 * stride, stride);
        var den = lanes.AsSpan(3 * stride, stride);
        var num = lanes.AsSpan(4 * stride, stride);
        var prefix = lanes.AsSpan(5 * stride, stride);
        Span<ulong> s = scratch;
        int size = 4 * width;
        Span<ulong> bx = s[..size], by = s.Slice(32, size), px = s.Slice(64, size), py = s.Slice(96, size);

        TV acc = default;
        for (int g = 0; g < groups; g++)
        {
            for (int lane = 0; lane < width; lane++)
            {
                int k = Math.Min(width * g + lane, count - 1); // pad the last group by repeating an entry (not written back)
                ref var b = ref buckets[bucketOf[k]];
                ref var q = ref addend[k];
                Put<TV>(bx, lane, b.X); Put<TV>(by, lane, b.Y);
                Put<TV>(px, lane, q.X); Put<TV>(py, lane, q.Y);
            }
            var a1 = TV.FromLimbs(bx);
            var b1 = TV.FromLimbs(by);
            var a2 = TV.FromLimbs(px);
            var b2 = TV.FromLimbs(py);
            x1[g] = a1;
            y1[g] = b1;
            sum[g] = TV.Add(a1, a2);
            var d = TV.SubSmall(a2, a1);
            den[g] = d;
            num[g] = TV.SubSmall(b2, b1);
            acc = g == 0 ? d : TV.Mul(acc, d);
            prefix[g] = acc;
        }

        var inv = InvertLanes<TV>(acc);
        for (int g = groups - 1; g >= 0; g--)
        {
            var invG = g > 0 ? TV.Mul(inv, prefix[g - 1]) : inv;
            if (g > 0) inv = TV.Mul(inv, den[g]);
            var lambda = TV.Mul(num[g], invG);
            var x3 = TV.SubSmall(TV.Mul(lambda, lambda), sum[g]);
            var y3 = TV.SubSmall(TV.Mul(lambda, TV.SubLarge(x1[g], x3)), y1[g]);
            TV.ToLimbsBelow16P(x3, bx);
            TV.ToLimbsBelow16P(y3, by);
            int used = Math.Min(width, count - width * g);
            for (int lane = 0; lane < used; lane++)
            {
                int bucket = bucketOf[width * g + lane];
                ref var b = ref buckets[bucket];
                b.X = Get<TV>(bx, lane);
                b.Y = Get<TV>(by, lane);
                pending[bucket] = false;
            }
        }
        Count = 0;
    }

    /// <summary>Lane-wise inverse: the lanes' values go to the scalar side, are inverted with one field inversion, and come back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TV InvertLanes<TV>(in TV a) where TV : struct, ILaneVector<TV>
    {
        int width = TV.Width;
        Span<ulong> limbs = scratch.AsSpan(0, 4 * width);
        TV.ToLimbs(TV.FromLaneForm(a), limbs);
        Span<Bn254Fq> values = stackalloc Bn254Fq[8];
        Span<Bn254Fq> running = stackalloc Bn254Fq[8];
        var product = Bn254Fq.One;
        for (int lane = 0; lane < width; lane++)
        {
            values[lane] = Get<TV>(limbs, lane);
            running[lane] = product;
            product *= values[lane];
        }
        var inv = Bn254Fq.InverseVartime(product); // public points; the batches already vary with the digits
        for (int lane = width - 1; lane >= 0; lane--)
        {
            Put<TV>(limbs, lane, inv * running[lane]);
            inv *= values[lane];
        }
        return TV.ToLaneForm(TV.FromLimbs(limbs));
    }

    /// <summary>
    /// Rewrites points' coordinates between the scalar Montgomery form (x 2^256 mod p) and the lanes' (x 2^261 mod p),
    /// both canonical; infinity flags are copied. With <paramref name="xFactor"/>, x is also multiplied by it (the GLV
    /// endomorphism's (βx, y)). Needs <see cref="IsSupported"/>.
    /// </summary>
    public static void ConvertPoints(ReadOnlySpan<AffinePoint<Bn254Fq>> source, Span<AffinePoint<Bn254Fq>> destination, bool toLaneForm,
        Bn254Fq? xFactor = null)
    {
        if (FqVector8.IsSupported && !PreferAvx2) ConvertPoints<FqVector8>(source, destination, toLaneForm, xFactor);
        else ConvertPoints<FqVector4>(source, destination, toLaneForm, xFactor);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvertPoints<TV>(ReadOnlySpan<AffinePoint<Bn254Fq>> source, Span<AffinePoint<Bn254Fq>> destination, bool toLaneForm,
        Bn254Fq? xFactor) where TV : struct, ILaneVector<TV>
    {
        int width = TV.Width;
        Span<ulong> x = stackalloc ulong[4 * width];
        Span<ulong> y = stackalloc ulong[4 * width];
        // The lanes' product divides by 2^261, so a factor in the lanes' form keeps either form.
        TV factor = default;
        if (xFactor is { } f)
        {
            for (int lane = 0; lane < width; lane++) Put<TV>(x, lane, f);
            factor = TV.ToLaneForm(TV.FromLimbs(x));
        }
        for (int start = 0; start < source.Length; start += width)
        {
            int used = Math.Min(width, source.Length - start);
            for (int lane = 0; lane < width; lane++)
            {
                ref readonly var p = ref source[start + Math.Min(lane, used - 1)];
                Put<TV>(x, lane, p.X);
                Put<TV>(y, lane, p.Y);
            }
            var vx = TV.FromLimbs(x);
            var vy = TV.FromLimbs(y);
            var cx = toLaneForm ? TV.ToLaneForm(vx) : TV.FromLaneForm(vx);
            TV.ToLimbs(xFactor.HasValue ? TV.Mul(cx, factor) : cx, x);
            TV.ToLimbs(toLaneForm ? TV.ToLaneForm(vy) : TV.FromLaneForm(vy), y);
            for (int lane = 0; lane < used; lane++)
                destination[start + lane] = new AffinePoint<Bn254Fq>(Get<TV>(x, lane), Get<TV>(y, lane), source[start + lane].IsInfinity);
        }
    }
}
