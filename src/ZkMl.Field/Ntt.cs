using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>
/// CPU radix-2 number-theoretic transform over any two-adic prime field, in place over <see cref="Span{T}"/>.
/// Twiddle factors are precomputed once per field in a single table that grows to the largest size requested
/// (thread-safe); transforms of 2^14 elements or more run in parallel over chunks.
/// </summary>
/// <remarks>
/// The natural-order methods implement <see cref="INtt{T}"/>. The bit-reversed variants skip the permutation pass:
/// <see cref="ForwardToBitReversed"/> followed by <see cref="InverseFromBitReversed"/> is the identity, which is all
/// polynomial multiplication needs. Evaluations are over RootOfUnity(log2 n): element i of the output is p(omega^i).
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed partial class Ntt<T> : INtt<T> where T : struct, ITwoAdicField<T>
{
    /// <summary>The shared instance (the class holds no per-instance state).</summary>
    public static Ntt<T> Instance { get; } = new();

    /// <summary>Transforms of at least this many elements are split across threads.</summary>
    public const int ParallelThreshold = 1 << 14;

    /// <summary>Sub-transforms of 2^LocalLog elements run all their stages while the block is in cache.</summary>
    private const int LocalLog = 12;

    /// <summary>Bit-reversal works on 2^TileLog x 2^TileLog tiles so both sides of each swap stay in cache.</summary>
    private const int TileLog = 4;

    private static readonly object s_growLock = new();

    /// <summary>twiddles[m + j] = RootOfUnity(log2(2m))^j for m a power of two and 0 &lt;= j &lt; m; index 0 is unused.</summary>
    private static T[] s_twiddles = new T[1];

    private delegate void SpanBody(Span<T> values, int index);

    /// <inheritdoc/>
    public void Forward(Span<T> values) => Forward(values, allowParallel: true);

    /// <inheritdoc/>
    public void Inverse(Span<T> values) => Inverse(values, allowParallel: true);

    /// <inheritdoc/>
    public void CosetForward(Span<T> values, T shift) => CosetForward(values, shift, allowParallel: true);

    /// <inheritdoc/>
    public void CosetInverse(Span<T> values, T shift) => CosetInverse(values, shift, allowParallel: true);

    /// <summary>Coefficients (natural order) to evaluations over &lt;omega&gt; in bit-reversed order, in place.</summary>
    public void ForwardToBitReversed(Span<T> values)
    {
        int log = CheckedLog2(values.Length);
        Dif(values, log, UseParallel(values.Length, true));
    }

    /// <summary>Evaluations over &lt;omega&gt; in bit-reversed order back to coefficients in natural order, in place.</summary>
    public void InverseFromBitReversed(Span<T> values)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, true);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.One, parallel);
    }

    /// <summary>Coefficients (natural order) to evaluations over shift * &lt;omega&gt; in bit-reversed order, in place.</summary>
    public void CosetForwardToBitReversed(Span<T> values, T shift)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, true);
        ScaleByPowers(values, T.One, shift, parallel);
        Dif(values, log, parallel);
    }

    /// <summary>Evaluations over shift * &lt;omega&gt; in bit-reversed order back to coefficients in natural order, in place.</summary>
    public void CosetInverseFromBitReversed(Span<T> values, T shift)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, true);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.Inverse(shift), parallel);
    }

    /// <summary>
    /// Evaluations over &lt;omega&gt; (natural order) to the same polynomial's evaluations over shift * &lt;omega&gt; (natural
    /// order), in place: what <see cref="Inverse(Span{T})"/> then <see cref="CosetForward(Span{T}, T)"/> compute, without
    /// their two bit-reversal passes and two scaling passes (the Groth16 quotient does this three times per proof).
    /// </summary>
    /// <remarks>
    /// A DIF transform leaves n * c_(-k) at position bitrev(k); one pass multiplies it by shift^(-k mod n) / n (a table that
    /// is cached per length and shift); a DIT transform of that bit-reversed sequence gives the coset evaluations at
    /// negated indices, which a reversal of values[1..] puts in order.
    /// </remarks>
    public void CosetReevaluate(Span<T> values, T shift)
    {
        int log = CheckedLog2(values.Length);
        if (shift.IsZero) throw new ArgumentException("The coset shift must be non-zero.", nameof(shift));
        bool parallel = UseParallel(values.Length, true);
        Dif(values, log, parallel);
        T[] factors = ReevaluationFactors(values.Length, shift);
        MultiplyElementwise(values, factors, parallel);
        Dit(values, log, parallel);
        values[1..].Reverse();
    }

    private sealed record ReevaluationTable(int Length, T Shift, T[] Factors);

    private static ReevaluationTable? s_reevaluationTable;

    /// <summary>factors[i] = shift^((n - bitrev(i)) mod n) / n, built by one multiplication per entry over the bits of i.</summary>
    // Runs once per process and size: optimised at once rather than in tier-0 code (a cold CLI proof pays that).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] ReevaluationFactors(int n, T shift)
    {
        var cached = Volatile.Read(ref s_reevaluationTable);
        if (cached != null && cached.Length == n && cached.Shift.Equals(shift)) return cached.Factors;
        int log = System.Numerics.BitOperations.Log2((uint)n);
        var factors = new T[n];
        T inverseN = InverseOfLength(n);
        // shift^(n - k) = shift^n * shift^(-k) for k != 0; bit t of i adds 2^(log-1-t) to bitrev(i).
        factors[0] = T.Mul(FieldMath.Pow(shift, (ulong)n), inverseN);
        T inverseShift = T.Inverse(shift);
        for (int t = 0; t < log; t++)
        {
            T u = inverseShift;
            for (int k = 0; k < log - 1 - t; k++) u = T.Square(u);
            int half = 1 << t;
            for (int i = half; i < 2 * half; i++) factors[i] = T.Mul(factors[i - half], u);
        }
        factors[0] = inverseN;
        Volatile.Write(ref s_reevaluationTable, new ReevaluationTable(n, shift, factors));
        return factors;
    }

    private static void MultiplyElementwise(Span<T> values, T[] factors, bool parallel)
    {
        int n = values.Length;
        int chunks = parallel ? ChunkCount(n, 4096) : 1;
        int chunkSize = (n + chunks - 1) / chunks;
        if (chunks == 1)
        {
            MultiplyRange(values, factors);
            return;
        }
        ForEachParallel(values, chunks, (all, c) =>
        {
            int from = c * chunkSize, to = Math.Min(n, from + chunkSize);
            MultiplyRange(all[from..to], factors.AsSpan(from, to - from));
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRange(Span<T> values, ReadOnlySpan<T> factors)
    {
        if (IsLazy)
        {
            Fp256Butterflies<Bn254Fr.Config>.Multiply(MemoryMarshal.Cast<T, Fp256<Bn254Fr.Config>>(values), MemoryMarshal.Cast<T, Fp256<Bn254Fr.Config>>(factors));
            return;
        }
        for (int i = 0; i < values.Length; i++) values[i] = T.Mul(values[i], factors[i]);
    }

    /// <summary>Forward transform of many columns (each a power-of-two length), parallel across columns.</summary>
    public void ForwardColumns(IReadOnlyList<T[]> columns) => ForEachColumn(columns, (column, parallel) => Forward(column, parallel));

    /// <summary>Inverse transform of many columns, parallel across columns.</summary>
    public void InverseColumns(IReadOnlyList<T[]> columns) => ForEachColumn(columns, (column, parallel) => Inverse(column, parallel));

    /// <summary>Coset forward transform of many columns over the same coset, parallel across columns.</summary>
    public void CosetForwardColumns(IReadOnlyList<T[]> columns, T shift) =>
        ForEachColumn(columns, (column, parallel) => CosetForward(column, shift, parallel));

    /// <summary>Coset inverse transform of many columns over the same coset, parallel across columns.</summary>
    public void CosetInverseColumns(IReadOnlyList<T[]> columns, T shift) =>
        ForEachColumn(columns, (column, parallel) => CosetInverse(column, shift, parallel));

    /// <summary>
    /// Low-degree extension: writes to <paramref name="destination"/> (power-of-two length N) the evaluations, in natural
    /// order over shift * &lt;omega_N&gt;, of the polynomial with the given <paramref name="coefficients"/> (at most N of them).
    /// Same result as copying the coefficients into a zeroed array and calling <see cref="CosetForward(Span{T}, T)"/>, but it
    /// scales and permutes only the coefficients and skips the butterfly stages that would combine zeros.
    /// </summary>
    public void CosetExtend(ReadOnlySpan<T> coefficients, Span<T> destination, T shift) => CosetExtend(coefficients, destination, shift, allowParallel: true);

    /// <summary>
    /// As <see cref="CosetExtend(ReadOnlySpan{T}, Span{T}, T)"/>; <paramref name="allowParallel"/> false keeps it on the
    /// calling thread (a caller already parallel across many extensions, such as a commitment's rows).
    /// </summary>
    public void CosetExtend(ReadOnlySpan<T> coefficients, Span<T> destination, T shift, bool allowParallel)
    {
        int log = CheckedLog2(destination.Length);
        if (coefficients.Length > destination.Length) throw new ArgumentException($"{coefficients.Length} coefficients do not fit an extension of {destination.Length} points.");
        int small = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, coefficients.Length));
        int smallLog = System.Numerics.BitOperations.Log2((uint)small), blowupLog = log - smallLog;
        bool parallel = UseParallel(destination.Length, allowParallel);
        if (blowupLog == 0 || blowupLog > Math.Min(log, LocalLog))
        {
            coefficients.CopyTo(destination);
            destination[coefficients.Length..].Clear();
            CosetForward(destination, shift, allowParallel);
            return;
        }
        T[] rented = System.Buffers.ArrayPool<T>.Shared.Rent(small);
        try
        {
            Span<T> c = rented.AsSpan(0, small);
            coefficients.CopyTo(c);
            c[coefficients.Length..].Clear();
            ScaleByPowers(c, T.One, shift, UseParallel(small, allowParallel));
            BitReverse(c, smallLog, UseParallel(small, allowParallel));
            // The zero-padded array in bit-reversed order holds c[j] at j * 2^blowupLog and zeros between; the first
            // blowupLog DIT stages turn each such block into 2^blowupLog copies of c[j]. The next stage pairs the blocks of
            // c[2i] and c[2i + 1] = coefficient rev(2i) + small / 2, zero for most pairs when the count is just above a
            // power of two (a hiding Ligero row): such a pair is 2^(blowupLog + 1) copies of c[2i], no butterflies.
            int blowup = 1 << blowupLog;
            bool fuse = small >= 2 && blowupLog < Math.Min(log, LocalLog);
            T[] twiddles = fuse ? Twiddles(log) : [];
            if (fuse && !parallel)
            {
                // One thread: each local block is filled and runs its local stages while it is in L1, where filling the
                // whole destination first streams it through the caches once more (a Ligero row is 1 MiB).
                FillAndRunLocalBlocks(c, destination, log, blowupLog);
                return;
            }
            if (parallel)
            {
                int chunks = ChunkCount(small, 4096);
                int chunkSize = ((small + chunks - 1) / chunks + 1) & ~1;
                ForEachParallel(destination, chunks, (all, k) =>
                {
                    int from = k * chunkSize, to = Math.Min(small, from + chunkSize);
                    if (from < to) FillBlocks(rented.AsSpan(from, to - from), all[(from << blowupLog)..(to << blowupLog)], blowupLog, fuse, twiddles);
                });
            }
            else
                FillBlocks(c, destination, blowupLog, fuse, twiddles);
            if (fuse) blowupLog++;
        }
        finally
        {
            System.Buffers.ArrayPool<T>.Shared.Return(rented);
        }
        Dit(destination, log, parallel, firstStage: blowupLog);
    }

    /// <summary>
    /// CosetExtend's butterflies on one thread with <see cref="FillBlocks"/> fused (fuse set): local block b gets its
    /// 2^(localLog - blowupLog) coefficients' copies and the fused stage, then the remaining local stages, before the next
    /// block is touched; then the global stages. The same butterflies in the same order per element as FillBlocks then
    /// <see cref="Dit"/>.
    /// </summary>
    private static void FillAndRunLocalBlocks(ReadOnlySpan<T> c, Span<T> destination, int log, int blowupLog)
    {
        T[] twiddles = Twiddles(log);
        int localLog = Math.Min(log, LocalLog);
        int block = 1 << localLog, perBlock = block >> blowupLog;
        for (int b = 0; b < destination.Length >> localLog; b++)
        {
            Span<T> values = destination.Slice(b * block, block);
            FillBlocks(c.Slice(b * perBlock, perBlock), values, blowupLog, fuse: true, twiddles);
            LocalBlock(values, localLog, twiddles, dit: true, firstStage: blowupLog + 1);
        }
        RunGlobalStages(destination, log, localLog, twiddles, parallel: false, dit: true);
        if (IsLazy) Normalize(destination, parallel: false);
    }

    /// <summary>
    /// CosetExtend's first stages: block j of <paramref name="destination"/> (2^blowupLog entries) gets copies of c[j]; with
    /// <paramref name="fuse"/> (c of even length) also DIT stage blowupLog, skipped for a pair whose odd entry is zero.
    /// </summary>
    private static void FillBlocks(ReadOnlySpan<T> c, Span<T> destination, int blowupLog, bool fuse, T[] twiddles)
    {
        int blowup = 1 << blowupLog;
        if (!fuse)
        {
            for (int j = 0; j < c.Length; j++) destination.Slice(j << blowupLog, blowup).Fill(c[j]);
            return;
        }
        for (int j = 0; j < c.Length; j += 2)
        {
            Span<T> pair = destination.Slice(j << blowupLog, 2 * blowup);
            if (c[j + 1].IsZero)
            {
                pair.Fill(c[j]);
                continue;
            }
            pair[..blowup].Fill(c[j]);
            pair[blowup..].Fill(c[j + 1]);
            if (blowup == 1) DitRunUnit(ref pair[0], ref pair[1], 1, dit: true);
            else DitRun(ref pair[0], ref pair[blowup], ref twiddles[blowup], blowup);
        }
    }

    /// <summary>Permutes <paramref name="values"/> (power-of-two length) so element i moves to the bit-reversal of i.</summary>
    public static void BitReversePermute(Span<T> values)
    {
        int log = CheckedLog2(values.Length);
        BitReverse(values, log, UseParallel(values.Length, true));
    }

    private void Forward(Span<T> values, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
    }

    // The inverse DFT is the forward DFT read at negated indices, divided by n: no separate inverse twiddle table.
    private void Inverse(Span<T> values, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.One, parallel);
    }

    private void CosetForward(Span<T> values, T shift, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        ScaleByPowers(values, T.One, shift, parallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
    }

    private void CosetInverse(Span<T> values, T shift, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.Inverse(shift), parallel);
    }

    private static void ForEachColumn(IReadOnlyList<T[]> columns, Action<T[], bool> transform)
    {
        ArgumentNullException.ThrowIfNull(columns);
        for (int c = 0; c < columns.Count; c++)
        {
            if (columns[c] is null) throw new ArgumentException($"column {c} is null", nameof(columns));
            CheckedLog2(columns[c].Length, $"column {c}");
        }
        if (columns.Count >= Environment.ProcessorCount && Environment.ProcessorCount > 1)
            Parallel.For(0, columns.Count, c => transform(columns[c], false));
        else
            for (int c = 0; c < columns.Count; c++) transform(columns[c], true);
    }

    private static bool UseParallel(int length, bool allowParallel) =>
        allowParallel && length >= ParallelThreshold && Environment.ProcessorCount > 1;

    private static int CheckedLog2(int length, string what = "length")
    {
        if (length <= 0 || (length & (length - 1)) != 0)
            throw new ArgumentException($"NTT {what} must be a power of two, got {length}");
        int log = System.Numerics.BitOperations.Log2((uint)length);
        if (log > T.TwoAdicity)
            throw new ArgumentException($"NTT {what} 2^{log} exceeds the two-adicity 2^{T.TwoAdicity} of {typeof(T).Name}");
        return log;
    }

    private static T InverseOfLength(int length) => T.Inverse(T.FromUInt64((ulong)length));

    private static int ChunkCount(int work, int minimumPerChunk)
    {
        int chunks = Environment.ProcessorCount * 4;
        return Math.Max(1, Math.Min(chunks, work / minimumPerChunk));
    }

    private static unsafe void ForEachParallel(Span<T> values, int count, SpanBody body)
    {
        // Pin the span so worker threads can rebuild it from an address (a Span cannot be captured by a lambda).
        fixed (byte* pointer = &Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)))
        {
            nint address = (nint)pointer;
            int length = values.Length;
            Parallel.For(0, count, i => body(new Span<T>((void*)address, length), i));
        }
    }

    /// <summary>values[i] *= start * ratio^i.</summary>
    private static void ScaleByPowers(Span<T> values, T start, T ratio, bool parallel)
    {
        if (start.IsOne && ratio.IsOne) return;
        int n = values.Length;
        if (!parallel)
        {
            ScaleRange(values, start, ratio);
            return;
        }
        int chunks = ChunkCount(n, 4096);
        int chunkSize = (n + chunks - 1) / chunks;
        ForEachParallel(values, chunks, (all, c) =>
        {
            int from = c * chunkSize;
            int to = Math.Min(n, from + chunkSize);
            if (from < to) ScaleRange(all[from..to], T.Mul(start, FieldMath.Pow(ratio, (ulong)from)), ratio);
        });
    }

    private static void ScaleRange(Span<T> values, T factor, T ratio)
    {
        if (IsLazy)
        {
            Fp256Butterflies<Bn254Fr.Config>.ScaleByPowers(MemoryMarshal.Cast<T, Fp256<Bn254Fr.Config>>(values), Fr(ref factor), Fr(ref ratio));
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector.IsSupported && values.Length >= 4 * GoldilocksVector.Lanes)
        {
            GoldilocksVector.ScaleByPowers(MemoryMarshal.Cast<T, ulong>(values), Unsafe.As<T, Goldilocks>(ref factor), Unsafe.As<T, Goldilocks>(ref ratio));
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector256.IsSupported && values.Length >= 4 * GoldilocksVector256.Lanes)
        {
            GoldilocksVector256.ScaleByPowers(MemoryMarshal.Cast<T, ulong>(values), Unsafe.As<T, Goldilocks>(ref factor), Unsafe.As<T, Goldilocks>(ref ratio));
            return;
        }
        ref T a = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < values.Length; i++)
        {
            ref T slot = ref Unsafe.Add(ref a, i);
            slot = T.Mul(slot, factor);
            factor = T.Mul(factor, ratio);
        }
    }

    // ---- twiddles ----

    private static T[] Twiddles(int log)
    {
        T[] table = Volatile.Read(ref s_twiddles);
        if (table.Length >= (1 << log)) return table;
        lock (s_growLock)
        {
            table = s_twiddles;
            if (table.Length >= (1 << log)) return table;
            int newLength = 1 << log;
            var grown = new T[newLength];
            table.AsSpan().CopyTo(grown);
            for (int m = 1; m < newLength; m <<= 1)
            {
                if (2 * m <= table.Length) continue; // level already present
                FillTwiddleLevel(grown, m);
            }
            Volatile.Write(ref s_twiddles, grown);
            return grown;
        }
    }

    private static void FillTwiddleLevel(T[] table, int m)
    {
        T root = T.RootOfUnity(System.Numerics.BitOperations.Log2((uint)m) + 1);
        int chunks = m >= ParallelThreshold && Environment.ProcessorCount > 1 ? ChunkCount(m, 4096) : 1;
        int chunkSize = (m + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            int from = c * chunkSize;
            int to = Math.Min(m, from + chunkSize);
            T power = FieldMath.Pow(root, (ulong)from);
            for (int j = from; j < to; j++)
            {
                table[m + j] = power;
                power = T.Mul(power, root);
            }
        });
    }

    // ---- butterflies ----

    /// <summary>
    /// Decimation in time: bit-reversed input to natural-order DFT output. Stages below 2^LocalLog run inside
    /// contiguous blocks; the remaining stages run on column groups that stay in cache (see <see cref="RunGlobalStages"/>).
    /// </summary>
    private static void Dit(Span<T> values, int log, bool parallel, int firstStage = 0)
    {
        if (log == 0) return;
        T[] twiddles = Twiddles(log);
        int localLog = Math.Min(log, LocalLog);
        RunLocalBlocks(values, localLog, twiddles, parallel, dit: true, firstStage);
        RunGlobalStages(values, log, localLog, twiddles, parallel, dit: true);
        if (IsLazy) Normalize(values, parallel);
    }

    /// <summary>Decimation in frequency: natural-order input to bit-reversed DFT output.</summary>
    private static void Dif(Span<T> values, int log, bool parallel)
    {
        if (log == 0) return;
        T[] twiddles = Twiddles(log);
        int localLog = Math.Min(log, LocalLog);
        RunGlobalStages(values, log, localLog, twiddles, parallel, dit: false);
        RunLocalBlocks(values, localLog, twiddles, parallel, dit: false);
        if (IsLazy) Normalize(values, parallel);
    }

    /// <summary>Lazy transforms leave values below 4p: one pass makes them canonical.</summary>
    private static void Normalize(Span<T> values, bool parallel)
    {
        int n = values.Length;
        int chunks = parallel ? ChunkCount(n, 4096) : 1;
        if (chunks == 1)
        {
            Fp256Butterflies<Bn254Fr.Config>.Normalize(MemoryMarshal.Cast<T, Fp256<Bn254Fr.Config>>(values));
            return;
        }
        int chunkSize = (n + chunks - 1) / chunks;
        ForEachParallel(values, chunks, (all, c) =>
        {
            int from = c * chunkSize, to = Math.Min(n, from + chunkSize);
            Fp256Butterflies<Bn254Fr.Config>.Normalize(MemoryMarshal.Cast<T, Fp256<Bn254Fr.Config>>(all[from..to]));
        });
    }

    private static void RunLocalBlocks(Span<T> values, int localLog, T[] twiddles, bool parallel, bool dit, int firstStage = 0)
    {
        int block = 1 << localLog;
        int blocks = values.Length >> localLog;
        if (parallel && blocks > 1)
            ForEachParallel(values, blocks, (all, b) => LocalBlock(all.Slice(b * block, block), localLog, twiddles, dit, firstStage));
        else
            for (int b = 0; b < blocks; b++) LocalBlock(values.Slice(b * block, block), localLog, twiddles, dit, firstStage);
    }

    // The butterfly loops: optimised at first call, not run as tier-0 code and OSR-compiled per loop (cold proofs pay that).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LocalBlock(Span<T> block, int log, T[] twiddles, bool dit, int firstStage = 0)
    {
        ref T a = ref MemoryMarshal.GetReference(block);
        ref T w = ref MemoryMarshal.GetArrayDataReference(twiddles);
        int n = block.Length;
        // The two shortest stages mix elements inside groups of four, which the lane kernels do in one fused pass.
        bool fuseTwo = (typeof(T) == typeof(Goldilocks) && GoldilocksVector256.IsSupported || IsLazy && Fp256Vector<Bn254Fr.Config>.IsSupported)
            && firstStage == 0 && n >= 16;
        if (dit)
        {
            if (fuseTwo)
            {
                if (IsLazy) Fp256Butterflies<Bn254Fr.Config>.FirstTwoDitStages(ref Fr(ref a), n, Fr(ref Unsafe.Add(ref w, 3)));
                else GoldilocksVector256.FirstTwoDitStages(ref Unsafe.As<T, ulong>(ref a), n, Unsafe.As<T, ulong>(ref Unsafe.Add(ref w, 3)));
                firstStage = 2;
            }
            for (int stage = firstStage; stage < log; stage++)
            {
                int m = 1 << stage;
                if (m == 1)
                    DitRunUnitPairs(ref a, n, dit: true);
                else
                    for (int k = 0; k < n; k += 2 * m)
                        DitRun(ref Unsafe.Add(ref a, k), ref Unsafe.Add(ref a, k + m), ref Unsafe.Add(ref w, m), m);
            }
        }
        else
        {
            for (int stage = log - 1; stage >= (fuseTwo ? 2 : 0); stage--)
            {
                int m = 1 << stage;
                if (m == 1)
                    DitRunUnitPairs(ref a, n, dit: false);
                else
                    for (int k = 0; k < n; k += 2 * m)
                        DifRun(ref Unsafe.Add(ref a, k), ref Unsafe.Add(ref a, k + m), ref Unsafe.Add(ref w, m), m);
            }
            if (fuseTwo && IsLazy) Fp256Butterflies<Bn254Fr.Config>.LastTwoDifStages(ref Fr(ref a), n, Fr(ref Unsafe.Add(ref w, 3)));
            else if (fuseTwo) GoldilocksVector256.LastTwoDifStages(ref Unsafe.As<T, ulong>(ref a), n, Unsafe.As<T, ulong>(ref Unsafe.Add(ref w, 3)));
        }
    }

    /// <summary>The stage with m = 1: butterflies on adjacent pairs, twiddle one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DitRunUnitPairs(ref T a, int n, bool dit)
    {
        for (int k = 0; k < n; k += 2) DitRunUnit(ref Unsafe.Add(ref a, k), ref Unsafe.Add(ref a, k + 1), 1, dit);
    }

    /// <summary>
    /// Stages localLog..log-1 pair elements 2^stage apart, i.e. whole rows of the array seen as a
    /// 2^(log - localLog) x 2^localLog matrix. A group of adjacent columns is closed under all of these stages, so each
    /// group (sized to about 32 KiB) runs every global stage while it is in cache: one pass over memory instead of one per stage.
    /// </summary>
    private static void RunGlobalStages(Span<T> values, int log, int localLog, T[] twiddles, bool parallel, bool dit)
    {
        int rowsLog = log - localLog;
        if (rowsLog == 0) return;
        int columns = 1 << localLog;
        int elementSize = Unsafe.SizeOf<T>();
        int minimumWidth = Math.Max(1, 64 / elementSize); // at least a cache line per row
        // Bn254Fr with AVX-512: at least one eight-lane run per row (64 KiB groups at 2^20, in L2), else the global stages
        // would run four lanes wide.
        if (IsLazy && Fp256Vector512<Bn254Fr.Config>.IsSupported) minimumWidth = Math.Max(minimumWidth, 8);
        int width = Math.Max(minimumWidth, (32 * 1024 / elementSize) >> rowsLog);
        width = Math.Min(columns, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)width));
        int groups = columns / width;
        if (parallel && groups > 1)
            ForEachParallel(values, groups, (all, g) => ColumnGroup(all, g * width, width, log, localLog, twiddles, dit));
        else
            for (int g = 0; g < groups; g++) ColumnGroup(values, g * width, width, log, localLog, twiddles, dit);
    }

    // The butterfly loops: optimised at first call, not run as tier-0 code and OSR-compiled per loop (cold proofs pay that).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnGroup(Span<T> values, int firstColumn, int width, int log, int localLog, T[] twiddles, bool dit)
    {
        ref T a = ref MemoryMarshal.GetReference(values);
        ref T w = ref MemoryMarshal.GetArrayDataReference(twiddles);
        int rows = 1 << (log - localLog);
        for (int step = 0; step < log - localLog; step++)
        {
            int stage = dit ? localLog + step : log - 1 - step;
            int m = 1 << stage;
            int rowDistance = 1 << (stage - localLog);
            for (int blockRow = 0; blockRow < rows; blockRow += 2 * rowDistance)
            {
                for (int r = 0; r < rowDistance; r++)
                {
                    // Element i = column + row * 2^localLog; its twiddle index within the stage is i mod m.
                    int first = ((blockRow + r) << localLog) + firstColumn;
                    ref T x = ref Unsafe.Add(ref a, first);
                    ref T y = ref Unsafe.Add(ref x, m);
                    ref T twiddle = ref Unsafe.Add(ref w, m + (r << localLog) + firstColumn);
                    if (dit) DitRun(ref x, ref y, ref twiddle, width);
                    else DifRun(ref x, ref y, ref twiddle, width);
                }
            }
        }
    }

    /// <summary>Bn254Fr transforms run lazy butterflies (<see cref="Fp256Butterflies{TConfig}"/>) and end with one normalisation pass.</summary>
    private static bool IsLazy => typeof(T) == typeof(Bn254Fr);

    private static ref Fp256<Bn254Fr.Config> Fr(ref T value) => ref Unsafe.As<T, Fp256<Bn254Fr.Config>>(ref value);

    /// <summary>count DIT butterflies: (x, y) becomes (x + w y, x - w y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DitRun(ref T x, ref T y, ref T w, int count)
    {
        if (IsLazy)
        {
            Fp256Butterflies<Bn254Fr.Config>.DitRun(ref Fr(ref x), ref Fr(ref y), ref Fr(ref w), count);
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector.IsSupported && count >= GoldilocksVector.Lanes)
        {
            GoldilocksVector.DitRun(ref Unsafe.As<T, ulong>(ref x), ref Unsafe.As<T, ulong>(ref y), ref Unsafe.As<T, ulong>(ref w), count);
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector256.IsSupported && count >= GoldilocksVector256.Lanes)
        {
            GoldilocksVector256.DitRun(ref Unsafe.As<T, ulong>(ref x), ref Unsafe.As<T, ulong>(ref y), ref Unsafe.As<T, ulong>(ref w), count);
            return;
        }
        for (int k = 0; k < count; k++)
        {
            ref T xk = ref Unsafe.Add(ref x, k);
            ref T yk = ref Unsafe.Add(ref y, k);
            T v = T.Mul(yk, Unsafe.Add(ref w, k));
            T u = xk;
            xk = T.Add(u, v);
            yk = T.Sub(u, v);
        }
    }

    /// <summary>count butterflies with twiddle one (first DIT stage, last DIF stage).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DitRunUnit(ref T x, ref T y, int count, bool dit)
    {
        if (IsLazy)
        {
            if (dit) Fp256Butterflies<Bn254Fr.Config>.DitRunUnit(ref Fr(ref x), ref Fr(ref y), count);
            else Fp256Butterflies<Bn254Fr.Config>.DifRunUnit(ref Fr(ref x), ref Fr(ref y), count);
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector.IsSupported && count >= GoldilocksVector.Lanes)
        {
            GoldilocksVector.AddSubRun(ref Unsafe.As<T, ulong>(ref x), ref Unsafe.As<T, ulong>(ref y), count);
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector256.IsSupported && count >= GoldilocksVector256.Lanes)
        {
            GoldilocksVector256.AddSubRun(ref Unsafe.As<T, ulong>(ref x), ref Unsafe.As<T, ulong>(ref y), count);
            return;
        }
        for (int k = 0; k < count; k++)
        {
            ref T xk = ref Unsafe.Add(ref x, k);
            ref T yk = ref Unsafe.Add(ref y, k);
            T u = xk;
            T v = yk;
            xk = T.Add(u, v);
            yk = T.Sub(u, v);
        }
    }

    /// <summary>count DIF butterflies: (x, y) becomes (x + y, (x - y) w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DifRun(ref T x, ref T y, ref T w, int count)
    {
        if (IsLazy)
        {
            Fp256Butterflies<Bn254Fr.Config>.DifRun(ref Fr(ref x), ref Fr(ref y), ref Fr(ref w), count);
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector.IsSupported && count >= GoldilocksVector.Lanes)
        {
            GoldilocksVector.DifRun(ref Unsafe.As<T, ulong>(ref x), ref Unsafe.As<T, ulong>(ref y), ref Unsafe.As<T, ulong>(ref w), count);
            return;
        }
        if (typeof(T) == typeof(Goldilocks) && GoldilocksVector256.IsSupported && count >= GoldilocksVector256.Lanes)
        {
            GoldilocksVector256.DifRun(ref Unsafe.As<T, ulong>(ref x), ref Unsafe.As<T, ulong>(ref y), ref Unsafe.As<T, ulong>(ref w), count);
            return;
        }
        for (int k = 0; k < count; k++)
        {
            ref T xk = ref Unsafe.Add(ref x, k);
            ref T yk = ref Unsafe.Add(ref y, k);
            T u = xk;
            T v = yk;
            xk = T.Add(u, v);
            yk = T.Mul(T.Sub(u, v), Unsafe.Add(ref w, k));
        }
    }
}
