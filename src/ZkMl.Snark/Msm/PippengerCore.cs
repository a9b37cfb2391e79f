using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Msm;

/// <summary>
/// Bucket MSM over any a = 0 short Weierstrass curve with coordinates in <typeparamref name="TF"/> (G1: Fq, G2: Fq2).
/// Scalars above r/2 are replaced by r - s with the base negated, so small negative field values are small too.
/// Digits are signed (|d| &lt;= 2^(c-1)), so a window needs 2^(c-1) buckets. Work is split into (window, chunk) tasks run
/// in parallel. Buckets are accumulated in affine coordinates with batched inversions (Montgomery's trick); a point whose
/// bucket is already waiting in the current batch goes into a Jacobian overflow bucket instead of stalling the batch.
/// </summary>
internal static unsafe class PippengerCore<TF> where TF : unmanaged, IField<TF>
{
    private const int ScalarBits = 254;

    /// <summary>Cost of one bucket-reduction step relative to one batched affine addition (measured ratio, roughly).</summary>
    private const int ReductionCostFactor = 4;

    // allowLanes: use the AVX-512 lane arithmetic for G1 where the CPU has it (tests turn it off to cover the scalar path).
    public static JacobianPoint<TF> Compute(ReadOnlySpan<AffinePoint<TF>> bases, ReadOnlySpan<Bn254Fr> scalars, int maxDegreeOfParallelism,
        bool allowLanes = true)
    {
        int n = bases.Length;
        if (n != scalars.Length) throw new ArgumentException($"MSM needs as many scalars ({scalars.Length}) as bases ({bases.Length}).");
        if (n == 0) return CurveArithmetic<TF>.Infinity;
        int threads = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;

        // Canonical limbs with the "negate when above r/2" trick; the sign is carried by the digits.
        var limbs = new ulong[4 * n];
        var negate = new bool[n];
        int maxBits = ScalarLimbs(scalars, limbs, negate, threads);
        if (maxBits == 0) return CurveArithmetic<TF>.Infinity;

        int c = ChooseWindow(n, maxBits);
        int windows = (maxBits + 1 + c - 1) / c; // one extra bit absorbs the final signed-digit carry
        var digits = ComputeDigits(limbs, negate, n, c, windows, threads);

        // Split points into chunks when there are too few windows to keep every core busy.
        int chunks = Math.Max(1, Math.Min((2 * threads + windows - 1) / windows, n / 4096));
        int chunkSize = (n + chunks - 1) / chunks;
        var partial = new JacobianPoint<TF>[windows * chunks];
        // The AVX-512 G1 path works on copies of the bases in the lanes' Montgomery form (a cheap pass per call).
        AffinePoint<TF>[]? laneBases = null;
        if (allowLanes && typeof(TF) == typeof(Bn254Fq) && FqVector8.IsSupported && c >= MinBatchWindow)
        {
            laneBases = new AffinePoint<TF>[n];
            ConvertToLaneForm(MemoryMarshal.Cast<AffinePoint<TF>, AffinePoint<Bn254Fq>>(bases),
                Unsafe.As<AffinePoint<Bn254Fq>[]>(laneBases), threads);
        }
        fixed (AffinePoint<TF>* basePtr = bases)
        fixed (AffinePoint<TF>* laneBasePtr = laneBases)
        {
            var pointers = (IntPtr)basePtr;
            var lanePointers = (IntPtr)laneBasePtr;
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
            Parallel.For(0, windows * chunks, options, task =>
            {
                int w = task / chunks, chunk = task % chunks;
                int lo = chunk * chunkSize, hi = Math.Min(n, lo + chunkSize);
                partial[task] = lo < hi
                    ? WindowSum((AffinePoint<TF>*)pointers, (AffinePoint<TF>*)lanePointers, digits, w * n, lo, hi, 1 << (c - 1))
                    : CurveArithmetic<TF>.Infinity;
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

    /// <summary>Smallest window whose 2^(c-1) buckets are updated in affine batches (fewer buckets: Jacobian additions).</summary>
    private const int MinBatchWindow = 7;

    private static void ConvertToLaneForm(ReadOnlySpan<AffinePoint<Bn254Fq>> bases, AffinePoint<Bn254Fq>[] laneBases, int threads)
    {
        int n = bases.Length;
        int blocks = Math.Max(1, Math.Min(threads * 4, n / 4096));
        int blockSize = (n / blocks + 7) & ~7;
        fixed (AffinePoint<Bn254Fq>* basePtr = bases)
        {
            var pointer = (IntPtr)basePtr;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
            {
                int lo = block * blockSize, hi = block == blocks - 1 ? n : Math.Min(n, lo + blockSize);
                if (lo >= hi) return;
                var src = new ReadOnlySpan<AffinePoint<Bn254Fq>>((AffinePoint<Bn254Fq>*)pointer + lo, hi - lo);
                LaneBatchAdder.ConvertPoints(src, laneBases.AsSpan(lo, hi - lo), toLaneForm: true);
            });
        }
    }

    /// <summary>Window size minimizing windows * (n + reduction cost of 2^(c-1) buckets).</summary>
    internal static int ChooseWindow(int n, int maxBits)
    {
        int best = 2;
        long bestCost = long.MaxValue;
        for (int c = 2; c <= 15; c++)
        {
            long windows = (maxBits + 1 + c - 1) / c;
            long cost = windows * (n + ReductionCostFactor * (1L << (c - 1)));
            if (cost < bestCost) { bestCost = cost; best = c; }
        }
        return best;
    }

    private static readonly ulong HalfR0, HalfR1, HalfR2, HalfR3;

    static PippengerCore()
    {
        var half = (Bn254Fr.Modulus - 1) / 2;
        var l = Scalars.ToLimbs(half);
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
        int maxBits = 0;
        var gate = new object();
        fixed (Bn254Fr* sp = scalars)
        {
            var ptr = (IntPtr)sp;
            int blocks = Math.Max(1, Math.Min(threads * 4, n / 1024));
            int blockSize = (n + blocks - 1) / blocks;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
            {
                var s = (Bn254Fr*)ptr;
                int lo = block * blockSize, hi = Math.Min(n, lo + blockSize);
                ulong orAll3 = 0, orAll2 = 0, orAll1 = 0, orAll0 = 0;
                for (int i = lo; i < hi; i++)
                {
                    var k = s[i];
                    s[i].GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
                    if (AboveHalf(l0, l1, l2, l3))
                    {
                        (-k).GetCanonicalLimbs(out l0, out l1, out l2, out l3);
                        negate[i] = true;
                    }
                    limbs[4 * i] = l0; limbs[4 * i + 1] = l1; limbs[4 * i + 2] = l2; limbs[4 * i + 3] = l3;
                    orAll0 |= l0; orAll1 |= l1; orAll2 |= l2; orAll3 |= l3;
                }
                int bits = orAll3 != 0 ? 192 + 64 - BitOperations.LeadingZeroCount(orAll3)
                    : orAll2 != 0 ? 128 + 64 - BitOperations.LeadingZeroCount(orAll2)
                    : orAll1 != 0 ? 64 + 64 - BitOperations.LeadingZeroCount(orAll1)
                    : 64 - BitOperations.LeadingZeroCount(orAll0);
                lock (gate) maxBits = Math.Max(maxBits, bits);
            });
        }
        return maxBits;
    }

    /// <summary>Signed digits d_w in (-2^(c-1), 2^(c-1)] with sum d_w 2^(c w) = s (negated for negated scalars), window-major.</summary>
    private static short[] ComputeDigits(ulong[] limbs, bool[] negate, int n, int c, int windows, int threads)
    {
        var digits = new short[windows * n];
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
                    ulong raw = limb < 4 ? limbs[4 * i + limb] >> shift : 0;
                    if (shift + c > 64 && limb + 1 < 4) raw |= limbs[4 * i + limb + 1] << (64 - shift);
                    int v = (int)(raw & mask) + carry;
                    if (v > half) { v -= 1 << c; carry = 1; } else carry = 0;
                    digits[w * n + i] = (short)(v * sign);
                }
            }
        });
        return digits;
    }

    /// <summary>sum over points in [lo, hi) of digit * point for one window, by buckets.</summary>
    // laneBases: the bases in the lanes' form for the AVX-512 G1 path, or null for the scalar path.
    private static JacobianPoint<TF> WindowSum(AffinePoint<TF>* bases, AffinePoint<TF>* laneBases, short[] digits, int digitOffset,
        int lo, int hi, int bucketCount)
    {
        var window = new BucketWindow(bases, laneBases, digits, digitOffset, bucketCount);
        for (int i = lo; i < hi; i++)
        {
            if (digits[digitOffset + i] != 0) window.Place(i);
        }
        return window.Finish();
    }

    /// <summary>
    /// The buckets of one window. Affine buckets are updated in batches sharing one inversion; a point whose bucket
    /// already waits in the batch is deferred to the next batch (or, when too many wait, added to a Jacobian overflow bucket).
    /// </summary>
    private sealed class BucketWindow
    {
        private readonly AffinePoint<TF>* bases, laneBases, source;
        private readonly short[] digits;
        private readonly int digitOffset, batchCapacity;
        private readonly AffinePoint<TF>[] buckets;
        private readonly JacobianPoint<TF>[] overflow; // Z = 0: infinity
        private readonly bool useBatch;
        private readonly BatchAdder? batch;
        private readonly LaneBatchAdder? laneBatch;
        private int[] deferred, retry;
        private int deferredCount;
        private bool anyOverflow;
        private int top = -1;

        public BucketWindow(AffinePoint<TF>* bases, AffinePoint<TF>* laneBases, short[] digits, int digitOffset, int bucketCount)
        {
            this.bases = bases;
            this.laneBases = laneBases;
            source = laneBases != null ? laneBases : bases;
            this.digits = digits;
            this.digitOffset = digitOffset;
            buckets = new AffinePoint<TF>[bucketCount];
            for (int b = 0; b < bucketCount; b++) buckets[b].IsInfinity = true;
            overflow = new JacobianPoint<TF>[bucketCount];
            batchCapacity = Math.Clamp(bucketCount / 4, 8, 512);
            useBatch = bucketCount >= 64;
            if (laneBases != null) laneBatch = new LaneBatchAdder(bucketCount, batchCapacity);
            else batch = new BatchAdder(bucketCount, batchCapacity);
            deferred = new int[batchCapacity];
            retry = new int[batchCapacity];
        }

        private int BatchCount => laneBatch != null ? laneBatch.Count : batch!.Count;

        private void AddToOverflow(int b, int i, bool negative)
        {
            var p = bases[i]; // the scalar form (laneBases may hold the lanes' form)
            if (negative) p.Y = TF.Neg(p.Y);
            overflow[b] = CurveArithmetic<TF>.AddMixed(overflow[b], p);
            anyOverflow = true;
        }

        /// <summary>Adds digit * point i (digit nonzero) to its bucket, or queues it.</summary>
        public void Place(int i)
        {
            int d = digits[digitOffset + i];
            var p = source[i];
            if (p.IsInfinity) return;
            bool negative = d < 0;
            if (negative) { p.Y = TF.Neg(p.Y); d = -d; }
            int b = d - 1;
            if (b > top) top = b;
            if (!useBatch) { AddToOverflow(b, i, negative); return; }
            if (laneBatch != null ? laneBatch.Pending(b) : batch!.Pending(b))
            {
                if (deferredCount < deferred.Length) deferred[deferredCount++] = i;
                else AddToOverflow(b, i, negative);
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

        /// <summary>Runs the batch, then retries the deferred points once (they may fill and run the batch again).</summary>
        private void Flush()
        {
            if (laneBatch != null) laneBatch.Flush(Unsafe.As<AffinePoint<Bn254Fq>[]>(buckets)); else batch!.Flush(buckets);
            if (deferredCount == 0) return;
            (deferred, retry) = (retry, deferred);
            int count = deferredCount;
            deferredCount = 0;
            for (int k = 0; k < count; k++) Place(retry[k]);
        }

        /// <summary>Runs what is pending and returns sum_b (b + 1) B_b by running sums from the top bucket down.</summary>
        public JacobianPoint<TF> Finish()
        {
            while (BatchCount > 0 || deferredCount > 0) Flush();
            if (laneBatch != null)
            {
                var g1 = Unsafe.As<AffinePoint<Bn254Fq>[]>(buckets).AsSpan(0, top + 1);
                LaneBatchAdder.ConvertPoints(g1, g1, toLaneForm: false);
            }
            var running = CurveArithmetic<TF>.Infinity;
            var total = CurveArithmetic<TF>.Infinity;
            for (int b = top; b >= 0; b--)
            {
                running = CurveArithmetic<TF>.AddMixed(running, buckets[b]);
                if (anyOverflow && !overflow[b].IsInfinity) running = CurveArithmetic<TF>.Add(running, overflow[b]);
                total = CurveArithmetic<TF>.Add(total, running);
            }
            return total;
        }
    }

    /// <summary>Pending affine bucket additions whose slopes share one field inversion.</summary>
    private sealed class BatchAdder
    {
        private readonly int[] bucketOf;
        private readonly AffinePoint<TF>[] addend;
        private readonly bool[] isDoubling;
        private readonly TF[] denominator;
        private readonly TF[] prefix;
        private readonly bool[] pending;
        public int Count;

        public BatchAdder(int bucketCount, int capacity)
        {
            bucketOf = new int[capacity];
            addend = new AffinePoint<TF>[capacity];
            isDoubling = new bool[capacity];
            denominator = new TF[capacity];
            prefix = new TF[capacity];
            pending = new bool[bucketCount];
        }

        public bool Pending(int bucket) => pending[bucket];

        public void Add(int bucket, in AffinePoint<TF> p, bool doubling, AffinePoint<TF>[] buckets)
        {
            int k = Count++;
            bucketOf[k] = bucket;
            addend[k] = p;
            isDoubling[k] = doubling;
            denominator[k] = doubling ? TF.Double(p.Y) : TF.Sub(p.X, buckets[bucket].X);
            pending[bucket] = true;
        }

        public void Flush(AffinePoint<TF>[] buckets)
        {
            int count = Count;
            if (count == 0) return;
            var acc = denominator[0];
            prefix[0] = acc;
            for (int k = 1; k < count; k++) { acc = TF.Mul(acc, denominator[k]); prefix[k] = acc; }
            var inv = TF.Inverse(acc);
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
            Count = 0;
        }
    }
}
