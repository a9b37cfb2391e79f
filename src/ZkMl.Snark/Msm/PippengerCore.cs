using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Msm;

/// <summary>
/// Bucket MSM over any a = 0 short Weierstrass curve with coordinates in <typeparamref name="TF"/> (G1: Fq, G2: Fq2).
/// Scalars above r/2 are replaced by r - s with the base negated, so small negative field values are small too.
/// Digits are signed (|d| &lt;= 2^(c-1)), so a window needs 2^(c-1) buckets. Work is split into (window, chunk) tasks run
/// in parallel. Buckets are accumulated in affine coordinates with batched inversions (Montgomery's trick); a point whose
/// bucket is already waiting in the current batch goes into a Jacobian overflow bucket instead of stalling the batch.
/// Full-size scalars are split by the GLV endomorphism (G1 and G2 alike: both curves have a = 0) into two halves of at
/// most 127 bits over the bases and their images (βx, y) when the window cost model says so: as many bucket additions
/// over half the windows.
/// </summary>
internal static unsafe class PippengerCore<TF> where TF : unmanaged, IField<TF>
{
    private const int ScalarBits = 254;

    /// <summary>
    /// Cost of one bucket-reduction step relative to one batched affine addition (measured ratios, roughly): the AVX-512
    /// lanes make the additions cheaper (G1 and G2), so there fewer buckets pay.
    /// </summary>
    private const int ReductionCostFactor = 4, LaneReductionCostFactor = 8;

    /// <summary>
    /// Cost of an addition into a Jacobian bucket relative to a batched affine one: windows below <see cref="MinBatchWindow"/>
    /// are not batched (nor laned). Without it the model chose windows of 4 to 6 for G2 MSMs of up to 256 points (1.4-2.8x
    /// slower than window 7) and for small scalars at up to 2048 points (level with 7-8) (benchmarks/RESULTS.md, "MSM window
    /// choice on the Intel host").
    /// </summary>
    private const int UnbatchedAdditionCost = 3;

    // allowLanes: use the lane arithmetic where the CPU has it (AVX-512, else AVX2; G1 and G2); tests turn it off
    // to cover the scalar path.
    // allowGlv: split scalars by the endomorphism where the window cost model says it pays (tests force both ways).
    // window: a fixed window size instead of the cost model's (the msm-windows benchmark sweeps it).
    public static JacobianPoint<TF> Compute(ReadOnlySpan<AffinePoint<TF>> bases, ReadOnlySpan<Bn254Fr> scalars, int maxDegreeOfParallelism,
        bool allowLanes = true, bool? allowGlv = null, int? window = null)
    {
        int n = bases.Length;
        if (n != scalars.Length) throw new ArgumentException($"MSM needs as many scalars ({scalars.Length}) as bases ({bases.Length}).");
        if (n == 0) return CurveArithmetic<TF>.Infinity;
        int threads = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;

        // Canonical limbs with the "negate when above r/2" trick; the sign is carried by the digits. The large
        // per-call arrays are pooled: fresh ones cost page faults and zeroing on every call.
        var limbs = ScratchArrays<ulong>.Rent(4 * n);
        var negate = ScratchArrays<bool>.Rent(n);
        bool[]? glvNegate = null;
        short[]? digits = null;
        int digitsUsed = 0;
        AffinePoint<TF>[]? laneBases = null, glvBases = null;
        try
        {
            int maxBits = ScalarLimbs(scalars, limbs, negate, threads);
            if (maxBits == 0) return CurveArithmetic<TF>.Infinity;

            bool laneCapable = allowLanes && typeof(TF) == typeof(Bn254Fq) && LaneBatchAdder.IsSupported;
            // G2 keeps the scalar form throughout; only its batched additions run in the lanes.
            bool g2Lanes = allowLanes && typeof(TF) == typeof(Fq2) && LaneBatchAdder.IsSupported;
            int factor = laneCapable || g2Lanes ? LaneReductionCostFactor : ReductionCostFactor;
            var glv = GlvDecomposition.G1.Decomposition;
            // GLV: n scalars of up to 254 bits become 2n of up to 128 (k = k1 + k2 lambda, bases P and phi(P)): the same
            // number of bucket additions over half the windows, so half the bucket reductions.
            bool useGlv = (typeof(TF) == typeof(Bn254Fq) || typeof(TF) == typeof(Fq2)) && glv.HasFixedWidth
                && (allowGlv ?? (WindowCost(2 * n, GlvBits, factor) < WindowCost(n, maxBits, factor)
                    // G2's copy of the bases costs 136 bytes and an Fq2 product a point: split only where most scalars are
                    // full-size (a Poseidon witness), not where a few are among small ones (NN witnesses: measured slower).
                    && (typeof(TF) != typeof(Fq2) || CountAbove128Bits(limbs, n) * 2 > n)));
            int m = n; // points after the split
            TF beta = default;
            if (useGlv)
            {
                m = 2 * n;
                beta = typeof(TF) == typeof(Bn254Fq) ? Unsafe.BitCast<Bn254Fq, TF>(GlvDecomposition.G1.Beta)
                    : Unsafe.BitCast<Fq2, TF>(GlvDecomposition.G2Beta);
                // The 2n halves take two limbs each: they overwrite the n scalars' four in the same array.
                glvNegate = ScratchArrays<bool>.Rent(m);
                maxBits = GlvScalarLimbs(scalars, limbs, glvNegate, glv, threads);
                if (maxBits == 0) return CurveArithmetic<TF>.Infinity;
                (negate, glvNegate) = (glvNegate, negate);
            }

            int c = window ?? ChooseWindow(m, maxBits, factor);
            int windows = (maxBits + 1 + c - 1) / c; // one extra bit absorbs the final signed-digit carry
            digitsUsed = windows * m;
            digits = ScratchArrays<short>.Rent(digitsUsed);
            ComputeDigits(limbs, useGlv ? 2 : 4, negate, digits, m, c, windows, threads);
            bool lanes = laneCapable && c >= MinBatchWindow;
            if (lanes)
            {
                // The AVX-512 G1 path works on copies of the bases in the lanes' Montgomery form (a cheap pass per call);
                // with GLV the copy also holds phi(P) = (beta x, y) after the n bases.
                laneBases = ScratchArrays<AffinePoint<TF>>.Rent(m);
                var g1Bases = MemoryMarshal.Cast<AffinePoint<TF>, AffinePoint<Bn254Fq>>(bases);
                var laneG1 = Unsafe.As<AffinePoint<Bn254Fq>[]>(laneBases);
                ConvertToLaneForm(g1Bases, laneG1.AsSpan(0, n), null, threads);
                if (useGlv) ConvertToLaneForm(g1Bases, laneG1.AsSpan(n, n), GlvDecomposition.G1.Beta, threads);
                return Sum(bases, laneBases, digits, m, useGlv ? n : m, beta, c, windows, maxBits, threads, false);
            }
            if (!useGlv) return Sum(bases, null, digits, m, m, beta, c, windows, maxBits, threads, g2Lanes);
            glvBases = ScratchArrays<AffinePoint<TF>>.Rent(m);
            EndomorphismCopy(bases, glvBases.AsSpan(0, m), beta);
            return Sum(glvBases.AsSpan(0, m), null, digits, m, m, beta, c, windows, maxBits, threads, g2Lanes);
        }
        finally
        {
            // Scalars may be secret (prover witnesses): clear what is derived from them before it goes back to the pool.
            // (Only the prefixes used: clearing a pooled array's untouched tail would fault it in.)
            ScratchArrays<ulong>.Return(limbs, 4 * n);
            ScratchArrays<bool>.Return(negate, 2 * n);
            if (glvNegate != null) ScratchArrays<bool>.Return(glvNegate, 2 * n);
            if (digits != null) ScratchArrays<short>.Return(digits, digitsUsed);
            if (laneBases != null) ScratchArrays<AffinePoint<TF>>.Return(laneBases);
            if (glvBases != null) ScratchArrays<AffinePoint<TF>>.Return(glvBases);
        }
    }

    /// <summary>How many of the n scalars (four limbs each) have more than 128 bits.</summary>
    private static int CountAbove128Bits(ulong[] limbs, int n)
    {
        int count = 0;
        for (int i = 0; i < n; i++) if ((limbs[4 * i + 2] | limbs[4 * i + 3]) != 0) count++;
        return count;
    }

    /// <summary>Bits of the GLV halves: |k1|, |k2| &lt; 2^127.</summary>
    private const int GlvBits = 127;

    /// <summary>The bases, then their images (beta x, y) under the endomorphism (scalar path).</summary>
    private static void EndomorphismCopy(ReadOnlySpan<AffinePoint<TF>> bases, Span<AffinePoint<TF>> destination, TF beta)
    {
        int n = bases.Length;
        bases.CopyTo(destination);
        for (int i = 0; i < n; i++)
        {
            var p = bases[i];
            p.X = TF.Mul(p.X, beta);
            destination[n + i] = p;
        }
    }

    /// <summary>
    /// Splits each scalar k into k1 + k2 lambda: magnitudes at i and n + i (two limbs each), signs in <paramref name="negate"/>;
    /// returns the bits.
    /// </summary>
    private static int GlvScalarLimbs(ReadOnlySpan<Bn254Fr> scalars, ulong[] limbs, bool[] negate, GlvDecomposition glv, int threads)
    {
        int n = scalars.Length;
        fixed (Bn254Fr* sp = scalars)
        {
            var ptr = (IntPtr)sp;
            return MaxBitsOverBlocks(n, threads, (lo, hi) =>
            {
                var s = (Bn254Fr*)ptr;
                UInt128 orAll = 0;
                for (int i = lo; i < hi; i++)
                {
                    s[i].GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
                    glv.DecomposeFixedWidth(l0, l1, l2, l3, out Int128 k1, out Int128 k2);
                    orAll |= PutHalf(limbs, negate, i, k1) | PutHalf(limbs, negate, n + i, k2);
                }
                return 128 - (int)UInt128.LeadingZeroCount(orAll);
            });
        }
    }

    /// <summary>Runs <paramref name="blockBits"/> over [lo, hi) blocks of 0..n in parallel and returns the largest bit count it reports.</summary>
    private static int MaxBitsOverBlocks(int n, int threads, Func<int, int, int> blockBits)
    {
        int maxBits = 0;
        var gate = new object();
        int blocks = Math.Max(1, Math.Min(threads * 4, n / 1024));
        int blockSize = (n + blocks - 1) / blocks;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
        {
            int bits = blockBits(block * blockSize, Math.Min(n, block * blockSize + blockSize));
            lock (gate) maxBits = Math.Max(maxBits, bits);
        });
        return maxBits;
    }

    private static UInt128 PutHalf(ulong[] limbs, bool[] negate, int i, Int128 k)
    {
        bool negative = k < 0;
        var magnitude = (UInt128)(negative ? -k : k);
        negate[i] = negative;
        limbs[2 * i] = (ulong)magnitude;
        limbs[2 * i + 1] = (ulong)(magnitude >> 64);
        return magnitude;
    }

    /// <summary>sum_w 2^(c w) sum_i digit_w,i * bases[i] over the window-major digits.</summary>
    // endoHalf: points at index endoHalf + i are phi(bases[i]) (GLV on the lanes path, whose scalar-form bases hold only the
    // first half); n when there are none.
    private static JacobianPoint<TF> Sum(ReadOnlySpan<AffinePoint<TF>> bases, AffinePoint<TF>[]? laneBases, short[] digits,
        int n, int endoHalf, TF beta, int c, int windows, int maxBits, int threads, bool g2Lanes)
    {

        // Windows are dealt round-robin into groups (one batch of affine additions serves a whole group, so the
        // inversion is shared more widely without more bucket conflicts); points are split into chunks when there
        // are too few groups to keep every core busy.
        int groups = Math.Min(windows, 2 * threads);
        int chunks = Math.Max(1, Math.Min((2 * threads + groups - 1) / groups, n / 4096));
        int chunkSize = (n + chunks - 1) / chunks;
        var partial = new JacobianPoint<TF>[windows * chunks];
        fixed (AffinePoint<TF>* basePtr = bases)
        fixed (AffinePoint<TF>* laneBasePtr = laneBases)
        {
            var pointers = (IntPtr)basePtr;
            var lanePointers = (IntPtr)laneBasePtr;
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
            Parallel.For(0, groups * chunks, options, task =>
            {
                int group = task / chunks, chunk = task % chunks;
                int lo = chunk * chunkSize, hi = Math.Min(n, lo + chunkSize);
                var members = new int[(windows - group + groups - 1) / groups];
                for (int k = 0; k < members.Length; k++) members[k] = group + k * groups;
                var sums = lo < hi
                    ? GroupSum((AffinePoint<TF>*)pointers, (AffinePoint<TF>*)lanePointers, digits, n, endoHalf, beta, members, lo, hi, 1 << (c - 1),
                        g2Lanes,
                        // A top window with few value bits puts many points in a few buckets: summed by pairs instead.
                        w => laneBases != null && maxBits - w * c <= c - 5)
                    : null;
                for (int k = 0; k < members.Length; k++)
                    partial[members[k] * chunks + chunk] = sums != null ? sums[k] : CurveArithmetic<TF>.Infinity;
            });
        }

        // Horner over windows from the top: result = sum_w 2^(c w) S_w.
        var result = CurveArithmetic<TF>.Infinity;
        for (int w = windows - 1; w >= 0; w--)
        {
            for (int i = 0; i < c && !result.IsInfinity; i++) result = CurveArithmetic<TF>.Double(result);
            for (int chunk = 0; chunk < chunks; chunk++) result = CurveArithmetic<TF>.Add(result, partial[w * chunks + chunk]);
        }
        return result;
    }

    /// <summary>
    /// Points of a crowded window summed by pairs at a time: bounds the scratch copy (the peak RSS) at a few inversions
    /// more. Any value of at least 2 gives the same sums; tests lower it to cross block boundaries.
    /// </summary>
    internal static int PairsBlock { get; set; } = 1 << 15;

    /// <summary>
    /// The batch inversion's one inverse, by the binary almost-inverse (several times faster than Fermat's power). Its time
    /// depends on the buckets' contents, as the MSM's digit-driven control flow already does.
    /// </summary>
    private static TF InverseVartime(in TF a)
    {
        if (typeof(TF) == typeof(Bn254Fq))
        {
            var inverse = Bn254Fq.InverseVartime(Unsafe.As<TF, Bn254Fq>(ref Unsafe.AsRef(in a)));
            return Unsafe.As<Bn254Fq, TF>(ref inverse);
        }
        if (typeof(TF) == typeof(Fq2))
        {
            var inverse = Fq2.InverseVartime(Unsafe.As<TF, Fq2>(ref Unsafe.AsRef(in a)));
            return Unsafe.As<Fq2, TF>(ref inverse);
        }
        return TF.Inverse(a);
    }

    /// <summary>Smallest window whose 2^(c-1) buckets are updated in affine batches (fewer buckets: Jacobian additions).</summary>
    private const int MinBatchWindow = 7;

    private static void ConvertToLaneForm(ReadOnlySpan<AffinePoint<Bn254Fq>> bases, Span<AffinePoint<Bn254Fq>> laneBases, Bn254Fq? xFactor,
        int threads)
    {
        int n = bases.Length;
        int blocks = Math.Max(1, Math.Min(threads * 4, n / 4096));
        int blockSize = (n / blocks + 7) & ~7;
        fixed (AffinePoint<Bn254Fq>* basePtr = bases)
        fixed (AffinePoint<Bn254Fq>* lanePtr = laneBases)
        {
            var pointer = (IntPtr)basePtr;
            var destination = (IntPtr)lanePtr;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
            {
                int lo = block * blockSize, hi = block == blocks - 1 ? n : Math.Min(n, lo + blockSize);
                if (lo >= hi) return;
                var src = new ReadOnlySpan<AffinePoint<Bn254Fq>>((AffinePoint<Bn254Fq>*)pointer + lo, hi - lo);
                var dst = new Span<AffinePoint<Bn254Fq>>((AffinePoint<Bn254Fq>*)destination + lo, hi - lo);
                LaneBatchAdder.ConvertPoints(src, dst, toLaneForm: true, xFactor);
            });
        }
    }

    /// <summary>Window size minimizing windows * (n additions, dearer below the batch window, + reduction cost of 2^(c-1) buckets).</summary>
    internal static int ChooseWindow(int n, int maxBits, int reductionCostFactor = LaneReductionCostFactor) =>
        BestWindow(n, maxBits, reductionCostFactor).Window;

    /// <summary>The cost model's figure for the best window (bucket additions plus weighted bucket reductions).</summary>
    internal static long WindowCost(int n, int maxBits, int reductionCostFactor) => BestWindow(n, maxBits, reductionCostFactor).Cost;

    private static (int Window, long Cost) BestWindow(int n, int maxBits, int reductionCostFactor)
    {
        int best = 2;
        long bestCost = long.MaxValue;
        for (int c = 2; c <= 15; c++)
        {
            long windows = (maxBits + 1 + c - 1) / c;
            long additions = c < MinBatchWindow ? (long)UnbatchedAdditionCost * n : n;
            long cost = windows * (additions + reductionCostFactor * (1L << (c - 1)));
            if (cost < bestCost) { bestCost = cost; best = c; }
        }
        return (best, bestCost);
    }

    private static readonly ulong HalfR0, HalfR1, HalfR2, HalfR3;

    static PippengerCore()
    {
        var half = (Bn254Fr.Modulus - 1) / 2;
        var l = Limbs.FromBigInteger(half);
        HalfR0 = l[0]; HalfR1 = l.Length > 1 ? l[1] : 0; HalfR2 = l.Length > 2 ? l[2] : 0; HalfR3 = l.Length > 3 ? l[3] : 0;
    }

    private static bool AboveHalf(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        if (l3 != HalfR3) return l3 > HalfR3;
        if (l2 != HalfR2) return l2 > HalfR2;
        if (l1 != HalfR1) return l1 > HalfR1;
        return l0 > HalfR0;
    }

    private static int ScalarLimbs(ReadOnlySpan<Bn254Fr> scalars, ulong[] limbs, bool[] negate, int threads)
    {
        int n = scalars.Length;
        fixed (Bn254Fr* sp = scalars)
        {
            var ptr = (IntPtr)sp;
            return MaxBitsOverBlocks(n, threads, (lo, hi) =>
            {
                var s = (Bn254Fr*)ptr;
                ulong orAll3 = 0, orAll2 = 0, orAll1 = 0, orAll0 = 0;
                for (int i = lo; i < hi; i++)
                {
                    var k = s[i];
                    s[i].GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
                    bool above = AboveHalf(l0, l1, l2, l3);
                    if (above) (-k).GetCanonicalLimbs(out l0, out l1, out l2, out l3);
                    negate[i] = above;
                    limbs[4 * i] = l0; limbs[4 * i + 1] = l1; limbs[4 * i + 2] = l2; limbs[4 * i + 3] = l3;
                    orAll0 |= l0; orAll1 |= l1; orAll2 |= l2; orAll3 |= l3;
                }
                return orAll3 != 0 ? 192 + 64 - BitOperations.LeadingZeroCount(orAll3)
                    : orAll2 != 0 ? 128 + 64 - BitOperations.LeadingZeroCount(orAll2)
                    : orAll1 != 0 ? 64 + 64 - BitOperations.LeadingZeroCount(orAll1)
                    : 64 - BitOperations.LeadingZeroCount(orAll0);
            });
        }
    }

    /// <summary>Signed digits d_w in (-2^(c-1), 2^(c-1)] with sum d_w 2^(c w) = s (negated for negated scalars), window-major.</summary>
    // stride: limbs per scalar (4, or 2 for the GLV halves).
    private static void ComputeDigits(ulong[] limbs, int stride, bool[] negate, short[] digits, int n, int c, int windows, int threads)
    {
        int half = 1 << (c - 1);
        ulong mask = (1UL << c) - 1;
        int blocks = Math.Max(1, Math.Min(threads * 4, n / 1024));
        int blockSize = (n + blocks - 1) / blocks;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
        {
            int lo = block * blockSize, hi = Math.Min(n, lo + blockSize);
            for (int i = lo; i < hi; i++)
            {
                int carry = 0;
                int sign = negate[i] ? -1 : 1;
                for (int w = 0; w < windows; w++)
                {
                    int bit = w * c;
                    int limb = bit >> 6, shift = bit & 63;
                    ulong raw = limb < stride ? limbs[stride * i + limb] >> shift : 0;
                    if (shift + c > 64 && limb + 1 < stride) raw |= limbs[stride * i + limb + 1] << (64 - shift);
                    int v = (int)(raw & mask) + carry;
                    if (v > half) { v -= 1 << c; carry = 1; } else carry = 0;
                    digits[w * n + i] = (short)(v * sign);
                }
            }
        });
    }

    /// <summary>For each window in <paramref name="members"/>: sum over points in [lo, hi) of digit * point, by buckets.</summary>
    // laneBases: the bases in the lanes' form for the AVX-512 G1 path, or null for the scalar path.
    private static JacobianPoint<TF>[] GroupSum(AffinePoint<TF>* bases, AffinePoint<TF>* laneBases, short[] digits, int n,
        int endoHalf, TF beta, int[] members, int lo, int hi, int bucketCount, bool g2Lanes, Func<int, bool> isSparse)
    {
        var group = new BucketGroup(bases, laneBases, digits, n, endoHalf, beta, members, bucketCount, g2Lanes, isSparse);
        try
        {
            for (int i = lo; i < hi; i++) group.Place(i);
            return group.Finish();
        }
        finally { group.Release(); }
    }

    /// <summary>
    /// The buckets of a group of windows (slot s holds window members[s]'s buckets at [s * bucketCount, (s + 1) * bucketCount)).
    /// Affine buckets are updated in batches sharing one inversion; a point whose bucket already waits in the batch is
    /// deferred to the next batch (or, when too many wait, added to a Jacobian overflow bucket).
    /// </summary>
    private sealed class BucketGroup
    {
        private readonly AffinePoint<TF>* bases, source;
        private readonly short[] digits;
        private readonly int[] digitOffset, top;
        private readonly int bucketCount, batchCapacity, endoHalf;
        private readonly TF beta;
        private readonly AffinePoint<TF>[] buckets;
        private readonly JacobianPoint<TF>[] overflow; // Z = 0: infinity
        private readonly int bucketSlots; // used prefix of buckets and overflow (pooled arrays may be longer)
        private readonly bool useBatch, g2Lanes;
        private readonly BatchAdder? batch;
        private readonly LaneBatchAdder? laneBatch;
        private int[] deferred, retry; // point index * slots + slot
        private int deferredCount;
        private bool anyOverflow, retrying;
        private readonly List<int>?[] sparse; // per slot, for sparse top windows (lanes) or crowded buckets: the point indices

        public BucketGroup(AffinePoint<TF>* bases, AffinePoint<TF>* laneBases, short[] digits, int n, int endoHalf, TF beta, int[] members,
            int bucketCount, bool g2Lanes, Func<int, bool> isSparse)
        {
            this.g2Lanes = g2Lanes;
            this.endoHalf = endoHalf;
            this.beta = beta;
            sparse = new List<int>?[members.Length];
            for (int s = 0; s < members.Length; s++) if (isSparse(members[s])) sparse[s] = [];
            this.bases = bases;
            source = laneBases != null ? laneBases : bases;
            this.digits = digits;
            this.bucketCount = bucketCount;
            int slots = members.Length;
            digitOffset = new int[slots];
            for (int s = 0; s < slots; s++) digitOffset[s] = members[s] * n;
            top = new int[slots];
            Array.Fill(top, -1);
            // Pooled (ScratchArrays): a proof's MSMs otherwise fault fresh bucket arrays in, group by group.
            bucketSlots = slots * bucketCount;
            buckets = ScratchArrays<AffinePoint<TF>>.Rent(bucketSlots);
            buckets.AsSpan(0, bucketSlots).Fill(new AffinePoint<TF>(default, default, true));
            overflow = ScratchArrays<JacobianPoint<TF>>.Rent(bucketSlots);
            overflow.AsSpan(0, bucketSlots).Clear();
            batchCapacity = Math.Clamp(bucketSlots / 4, 8, 1024);
            useBatch = bucketCount >= 64;
            if (laneBases != null) laneBatch = new LaneBatchAdder(bucketSlots, batchCapacity);
            else batch = new BatchAdder(bucketSlots, batchCapacity, g2Lanes);
            deferred = new int[batchCapacity];
            retry = new int[batchCapacity];
        }

        private int BatchCount => laneBatch != null ? laneBatch.Count : batch!.Count;

        private void AddToOverflow(int b, int i, bool negative)
        {
            // The scalar form (the lanes' copy holds the lanes' form); the endomorphism's half is mapped on the fly.
            var p = i < endoHalf ? bases[i] : bases[i - endoHalf];
            if (i >= endoHalf) p.X = TF.Mul(p.X, beta);
            if (negative) p.Y = TF.Neg(p.Y);
            overflow[b] = CurveArithmetic<TF>.AddMixed(overflow[b], p);
            anyOverflow = true;
        }

        /// <summary>Adds point i, times its digit, to its bucket in every window of the group.</summary>
        public void Place(int i)
        {
            for (int s = 0; s < digitOffset.Length; s++)
            {
                if (digits[digitOffset[s] + i] == 0) continue;
                if (sparse[s] is { } list) { list.Add(i); continue; }
                Place(i, s);
            }
        }

        /// <summary>Adds digit * point i (digit nonzero) to its bucket in slot s, or defers it.</summary>
        private void Place(int i, int s)
        {
            int d = digits[digitOffset[s] + i];
            var p = source[i];
            if (p.IsInfinity) return;
            bool negative = d < 0;
            if (negative) { p.Y = TF.Neg(p.Y); d = -d; }
            if (d - 1 > top[s]) top[s] = d - 1;
            int b = s * bucketCount + d - 1;
            if (!useBatch) { AddToOverflow(b, i, negative); return; }
            if (laneBatch != null ? laneBatch.Pending(b) : batch!.Pending(b))
            {
                if (deferredCount < deferred.Length) deferred[deferredCount++] = i * digitOffset.Length + s;
                // Too many collisions: the digits crowd a few buckets (witness bits, small values). The rest of this
                // window's points are summed by pairs, conflict-free, instead of in Jacobian overflow additions.
                else (sparse[s] ??= []).Add(i);
                return;
            }
            ref var bucket = ref buckets[b];
            if (bucket.IsInfinity) { bucket = p; return; }
            if (bucket.X == p.X)
            {
                if (bucket.Y != p.Y) bucket.IsInfinity = true;
                else if (laneBatch != null) AddToOverflow(b, i, negative); // doubling is rare; the lanes only add
                else batch!.Add(b, p, doubling: true, buckets);
            }
            else if (laneBatch != null) laneBatch.Add(b, Unsafe.As<AffinePoint<TF>, AffinePoint<Bn254Fq>>(ref p));
            else batch!.Add(b, p, doubling: false, buckets);
            if (BatchCount == batchCapacity) Flush();
        }

        /// <summary>Runs the batch, then retries the deferred points once (not re-entered: a batch they fill just runs).</summary>
        private void Flush()
        {
            if (laneBatch != null) laneBatch.Flush(Unsafe.As<AffinePoint<Bn254Fq>[]>(buckets)); else batch!.Flush(buckets);
            if (retrying || deferredCount == 0) return;
            retrying = true;
            (deferred, retry) = (retry, deferred);
            var items = retry;
            int count = deferredCount;
            deferredCount = 0;
            int slots = digitOffset.Length;
            for (int k = 0; k < count; k++) Place(items[k] / slots, items[k] % slots);
            retrying = false;
        }

        /// <summary>
        /// Fills slot s's buckets from its point list (a sparse window, or any window when the points crowd a few buckets):
        /// the point indices are sorted by bucket, then copied block by block into a bounded scratch array, where each
        /// bucket's points (its value so far first) are added in pairs, all buckets' pairs in one batch, halving the lists
        /// until one point per bucket is left; no bucket is ever pending twice, so nothing is deferred. Doublings go to the
        /// Jacobian overflow bucket.
        /// </summary>
        private void SumByPairs(int s)
        {
            var items = sparse[s]!;
            // Counting sort of the point indices (not the points: 4 bytes, not 72 or more) by bucket.
            var start = new int[bucketCount + 1];
            foreach (int i in items) start[Math.Abs((int)digits[digitOffset[s] + i])]++;
            for (int b = 0; b < bucketCount; b++) start[b + 1] += start[b];
            var order = new int[items.Count];
            var fill = (int[])start.Clone();
            foreach (int i in items) order[fill[Math.Abs((int)digits[digitOffset[s] + i]) - 1]++] = i;
            var points = ArrayPool<AffinePoint<TF>>.Shared.Rent(Math.Clamp(items.Count + bucketCount, 2, PairsBlock));
            PairsBlockState? block = null;
            try
            {
                block = new PairsBlockState(points, bucketCount, laneBatch != null, g2Lanes);
                for (int b = 0; b < bucketCount; b++)
                {
                    int k = start[b], end = start[b + 1];
                    while (k < end)
                    {
                        if (points.Length - block.Used < 2) ReduceBlock(s, block);
                        int first = block.Used;
                        ref var bucket = ref buckets[s * bucketCount + b];
                        if (!bucket.IsInfinity) points[block.Used++] = bucket;
                        for (; k < end && block.Used < points.Length; k++)
                        {
                            int i = order[k];
                            var p = source[i];
                            if (p.IsInfinity) continue;
                            if (digits[digitOffset[s] + i] < 0) p.Y = TF.Neg(p.Y);
                            points[block.Used++] = p;
                        }
                        block.CloseSegment(b, first);
                        // A bucket running past the block continues in the next one from its value so far.
                        if (k < end) ReduceBlock(s, block);
                    }
                }
                ReduceBlock(s, block);
            }
            finally
            {
                block?.LaneAdder?.Release();
                block?.Adder?.Release();
                ArrayPool<AffinePoint<TF>>.Shared.Return(points);
            }
        }

        /// <summary>The scratch of <see cref="SumByPairs(int)"/>: the copied points and their per-bucket segments.</summary>
        private sealed class PairsBlockState(AffinePoint<TF>[] points, int bucketCount, bool lanes, bool g2Lanes)
        {
            public readonly AffinePoint<TF>[] Points = points;
            public readonly int[] Bucket = new int[bucketCount], Start = new int[bucketCount], Length = new int[bucketCount];
            public readonly LaneBatchAdder? LaneAdder = lanes ? new LaneBatchAdder(points.Length, 1024) : null;
            public readonly BatchAdder? Adder = lanes ? null : new BatchAdder(points.Length, 1024, g2Lanes);
            public int Used, Segments;

            /// <summary>Closes the segment of bucket b that began at first and runs to <see cref="Used"/>.</summary>
            public void CloseSegment(int b, int first)
            {
                Bucket[Segments] = b;
                Start[Segments] = first;
                Length[Segments++] = Used - first;
            }
        }

        /// <summary>Sums each segment of the block by pairs into its bucket and empties the block.</summary>
        private void ReduceBlock(int s, PairsBlockState block)
        {
            var points = block.Points;
            var start = block.Start;
            var length = block.Length;
            bool lanes = block.LaneAdder != null;
            var lanePoints = Unsafe.As<AffinePoint<Bn254Fq>[]>(points);
            bool more = true;
            while (more)
            {
                more = false;
                for (int g = 0; g < block.Segments; g++)
                {
                    int first = start[g];
                    for (int k = 0; k + 1 < length[g]; k += 2)
                    {
                        ref var acc = ref points[first + k];
                        ref var q = ref points[first + k + 1];
                        if (q.IsInfinity) continue;
                        if (acc.IsInfinity) { acc = q; q.IsInfinity = true; continue; }
                        if (acc.X == q.X)
                        {
                            if (acc.Y == q.Y)
                            {
                                var twice = lanes
                                    ? Unsafe.BitCast<JacobianPoint<Bn254Fq>, JacobianPoint<TF>>(CurveArithmetic<Bn254Fq>.Double(
                                        LaneBucketReduction.ToScalarForm(Unsafe.As<AffinePoint<TF>, AffinePoint<Bn254Fq>>(ref acc))))
                                    : CurveArithmetic<TF>.Double(CurveArithmetic<TF>.FromAffine(acc));
                                ref var o = ref overflow[s * bucketCount + block.Bucket[g]];
                                o = CurveArithmetic<TF>.Add(o, twice);
                                anyOverflow = true;
                            }
                            acc.IsInfinity = true;
                            q.IsInfinity = true;
                            continue;
                        }
                        if (lanes)
                        {
                            block.LaneAdder!.Add(first + k, Unsafe.As<AffinePoint<TF>, AffinePoint<Bn254Fq>>(ref q));
                            if (block.LaneAdder.Count == 1024) block.LaneAdder.Flush(lanePoints);
                        }
                        else
                        {
                            block.Adder!.Add(first + k, q, doubling: false, points);
                            if (block.Adder.Count == 1024) block.Adder.Flush(points);
                        }
                        q.IsInfinity = true;
                    }
                }
                if (lanes) block.LaneAdder!.Flush(lanePoints); else block.Adder!.Flush(points);
                // Keep the non-infinity points of each segment at its front.
                for (int g = 0; g < block.Segments; g++)
                {
                    int first = start[g], kept = 0;
                    for (int k = 0; k < length[g]; k++)
                        if (!points[first + k].IsInfinity) points[first + kept++] = points[first + k];
                    length[g] = kept;
                    if (kept > 1) more = true;
                }
            }
            for (int g = 0; g < block.Segments; g++)
            {
                int b = block.Bucket[g];
                ref var bucket = ref buckets[s * bucketCount + b];
                bucket.IsInfinity = true;
                if (length[g] == 0) continue;
                bucket = points[start[g]];
                if (b > top[s]) top[s] = b;
            }
            block.Used = 0;
            block.Segments = 0;
        }

        /// <summary>Gives the bucket arrays back to the pool, cleared (their sums follow the scalars).</summary>
        public void Release()
        {
            laneBatch?.Release();
            batch?.Release();
            ScratchArrays<AffinePoint<TF>>.Return(buckets, bucketSlots);
            ScratchArrays<JacobianPoint<TF>>.Return(overflow, bucketSlots);
        }

        /// <summary>Runs what is pending and returns, per window, sum_b (b + 1) B_b by running sums from the top bucket down.</summary>
        public JacobianPoint<TF>[] Finish()
        {
            // The last batch without a retry: what is still deferred collides among itself (a crowded bucket), which
            // retried flush by flush would cost an inversion a point; it is summed by pairs with the buckets instead.
            retrying = true;
            Flush();
            retrying = false;
            int slots = digitOffset.Length;
            for (int k = 0; k < deferredCount; k++) (sparse[deferred[k] % slots] ??= []).Add(deferred[k] / slots);
            deferredCount = 0;
            for (int s = 0; s < sparse.Length; s++) if (sparse[s] != null) SumByPairs(s);
            if (laneBatch != null)
            {
                return Unsafe.As<JacobianPoint<TF>[]>(LaneBucketReduction.Reduce(Unsafe.As<AffinePoint<Bn254Fq>[]>(buckets), bucketCount, top,
                    anyOverflow ? Unsafe.As<JacobianPoint<Bn254Fq>[]>(overflow) : null));
            }
            var sums = new JacobianPoint<TF>[digitOffset.Length];
            for (int s = 0; s < sums.Length; s++)
            {
                int first = s * bucketCount;
                var running = CurveArithmetic<TF>.Infinity;
                var total = CurveArithmetic<TF>.Infinity;
                for (int b = first + top[s]; b >= first; b--)
                {
                    running = CurveArithmetic<TF>.AddMixed(running, buckets[b]);
                    if (anyOverflow && !overflow[b].IsInfinity) running = CurveArithmetic<TF>.Add(running, overflow[b]);
                    total = CurveArithmetic<TF>.Add(total, running);
                }
                sums[s] = total;
            }
            return sums;
        }
    }

    /// <summary>
    /// Pending affine bucket additions whose slopes share one field inversion. On G2 with AVX-512 the additions (not the
    /// rare doublings) run in the lanes (<see cref="Fq2LaneBatchAdder"/>); the two kinds touch different buckets.
    /// </summary>
    private sealed class BatchAdder
    {
        private readonly Fq2LaneBatchAdder? lanes;
        private int scalarCount;
        private readonly int[] bucketOf;
        private readonly AffinePoint<TF>[] addend;
        private readonly bool[] isDoubling;
        private readonly TF[] denominator;
        private readonly TF[] prefix;
        private readonly bool[] pending;
        public int Count => scalarCount + (lanes?.Count ?? 0);

        public BatchAdder(int bucketCount, int capacity, bool g2Lanes)
        {
            if (g2Lanes) lanes = new Fq2LaneBatchAdder(capacity);
            bucketOf = new int[capacity];
            addend = new AffinePoint<TF>[capacity];
            isDoubling = new bool[capacity];
            denominator = new TF[capacity];
            prefix = new TF[capacity];
            pending = new bool[bucketCount];
        }

        public bool Pending(int bucket) => pending[bucket];

        /// <summary>Gives the lanes' pooled arrays back; the adder is then dead.</summary>
        public void Release() => lanes?.Release();

        public void Add(int bucket, in AffinePoint<TF> p, bool doubling, AffinePoint<TF>[] buckets)
        {
            if (lanes != null && !doubling)
            {
                lanes.Add(bucket, Unsafe.As<AffinePoint<TF>, AffinePoint<Fq2>>(ref Unsafe.AsRef(in p)));
                pending[bucket] = true;
                return;
            }
            int k = scalarCount++;
            bucketOf[k] = bucket;
            addend[k] = p;
            isDoubling[k] = doubling;
            denominator[k] = doubling ? TF.Double(p.Y) : TF.Sub(p.X, buckets[bucket].X);
            pending[bucket] = true;
        }

        public void Flush(AffinePoint<TF>[] buckets)
        {
            lanes?.Flush(Unsafe.As<AffinePoint<Fq2>[]>(buckets), pending);
            int count = scalarCount;
            if (count == 0) return;
            var acc = denominator[0];
            prefix[0] = acc;
            for (int k = 1; k < count; k++) { acc = TF.Mul(acc, denominator[k]); prefix[k] = acc; }
            var inv = InverseVartime(acc);
            for (int k = count - 1; k >= 0; k--)
            {
                var invK = k > 0 ? TF.Mul(inv, prefix[k - 1]) : inv;
                if (k > 0) inv = TF.Mul(inv, denominator[k]);
                int b = bucketOf[k];
                ref var bucket = ref buckets[b];
                ref var q = ref addend[k];
                TF numerator;
                if (isDoubling[k])
                {
                    var xx = TF.Square(q.X);
                    numerator = TF.Add(TF.Double(xx), xx);
                }
                else numerator = TF.Sub(q.Y, bucket.Y);
                var lambda = TF.Mul(numerator, invK);
                var x3 = TF.Sub(TF.Sub(TF.Square(lambda), bucket.X), q.X);
                var y3 = TF.Sub(TF.Mul(lambda, TF.Sub(bucket.X, x3)), bucket.Y);
                bucket.X = x3;
                bucket.Y = y3;
                pending[b] = false;
            }
            scalarCount = 0;
        }
    }
}
