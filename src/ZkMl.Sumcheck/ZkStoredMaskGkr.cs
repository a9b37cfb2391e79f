using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// <see cref="ZkFractionalSumGkr"/> with every mask stored in a region of a table the caller commits (hiding) before
/// the GKR runs, instead of in the GKR's own mask-set and layer-mask commitments (two openings, 0.4-0.75 MB): the layers'
/// child scalars c_(k,i), the carried masks' sigma_k and the steps' Libra coefficients are extension elements stored as
/// base pairs at fixed places (<see cref="MaskEntries"/>, <see cref="Alignment"/>). The steps are the same zero-knowledge
/// sumchecks; what the layer commitment's and the mask set's openings checked (each carried value E' = E + z sigma and
/// each Libra value g(r)) becomes <see cref="ZkLinearClaim"/>s on the caller's table, which the caller proves with its
/// other claims by one <see cref="ZkLinearReduction"/>. Soundness and zero knowledge: those of
/// <see cref="ZkFractionalSumGkr"/> (<c>src/ZkMl.Sumcheck/README.md</c>, "Zero knowledge", item 4), with the two
/// openings replaced by the reduction's (the masks are committed before any challenge either way; each scalar is used
/// as there, and the revealed values are the same masked ones).
/// </summary>
public static class ZkStoredMaskGkr
{
    /// <summary>
    /// The steps' shapes: <see cref="ZkFractionalSumGkr.Shapes"/> with each step's mask variable its LAST variable (not
    /// its first), so that the highest-degree round runs on the smallest table: same degrees, same coefficient counts.
    /// A masked leaf's final is therefore f~(r) + r_(m-1) (1 - r_(m-1)) c, r the last step's point.
    /// </summary>
    public static IReadOnlyList<ZkSumcheckShape> Shapes(int variables, int maskedLeaves) =>
        [.. ZkFractionalSumGkr.Shapes(variables, maskedLeaves).Select(s => s with { MaskVariable = s.Variables - 1 })];

    /// <summary>
    /// The region's alignment (its offset must be a multiple): twice the most Libra coefficients of one step, rounded
    /// up to a power of two (each step's coefficients are one aligned block).
    /// </summary>
    public static int Alignment(int variables, int maskedLeaves)
    {
        var shapes = Shapes(variables, maskedLeaves);
        return (int)BitOperations.RoundUpToPowerOf2((uint)(2 * shapes.Max(s => s.MaskCoefficients)));
    }

    /// <summary>Base entries of the mask region: the scalars (4 per middle layer and one sigma per carried mask, as base pairs), then one aligned block per step.</summary>
    public static int MaskEntries(int variables, int maskedLeaves)
    {
        int stride = Alignment(variables, maskedLeaves);
        return stride * (ScalarBlocks(variables, stride) + variables);
    }

    /// <summary>
    /// Proves sum_x p(x) / q(x) = 0 as <see cref="ZkFractionalSumGkr.Prove"/>, the masks read from
    /// <paramref name="table"/> at <paramref name="offset"/> (uniform entries the caller has committed and absorbed, used
    /// by nothing else). The result's claims (on table <paramref name="tableIndex"/> of the caller's reduction) and
    /// values go to the caller's <see cref="ZkLinearReduction"/>; the leaf values to its leaf claims.
    /// </summary>
    public static ZkStoredMaskGkrResult Prove(Transcript transcript, IReadOnlyList<ZkSumcheckFactor> leaves, ReadOnlySpan<Goldilocks> table, long offset, int tableIndex = 0) =>
        ProveCore(transcript, leaves, table, offset, tableIndex, generic: false);

    /// <summary>
    /// As the public prover; <paramref name="generic"/> runs the layer steps through the generic <see cref="ZkSumcheck"/>
    /// over seven factor tables instead of <see cref="ZkGkrStepKernel"/> (the reference the tests hold it to: same proof);
    /// <paramref name="skipConstantTails"/> false runs the kernel and the layers' products without their closed-form
    /// constant tails (the same proof; the generic path never skips).
    /// </summary>
    internal static ZkStoredMaskGkrResult ProveCore(Transcript transcript, IReadOnlyList<ZkSumcheckFactor> leaves, ReadOnlySpan<Goldilocks> table, long offset, int tableIndex, bool generic,
        bool skipConstantTails = true)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count != 4) throw new ArgumentException("Four leaf factors: p(0, .), p(1, .), q(0, .), q(1, .).", nameof(leaves));
        foreach (var leaf in leaves) ArgumentNullException.ThrowIfNull(leaf);
        int m = leaves[0].Variables, n = m + 1;
        if (m < 1 || n > ZkFractionalSumGkr.MaxVariables || leaves.Any(l => l.Variables != m)) throw new ArgumentException("Leaf halves of one size 2^m.", nameof(leaves));
        int maskedLeaves = leaves.Count(l => l.IsMasked);
        var layout = new Layout(n, maskedLeaves, offset, tableIndex);
        if (offset + layout.Entries > table.Length) throw new ArgumentException("The mask region lies outside the table.", nameof(offset));
        var region = table.Slice((int)offset, layout.Entries).ToArray();
        GoldilocksExt2 Pair(long at) => new(region[at - offset], region[at - offset + 1]);

        bool skip = skipConstantTails && !generic; // the generic reference skips nothing
        var layersP = new GoldilocksExt2[n][];
        var layersQ = new GoldilocksExt2[n][];
        // Layer k's children's constant tails, scanned once when layer k - 1 is built and handed to step k's kernel.
        var childTails = new (int Start, GoldilocksExt2 Value)[]?[n + 1];
        (layersP[n - 1], layersQ[n - 1]) = PairLayer(leaves[0].Table.AsMemory(), leaves[1].Table.AsMemory(), leaves[2].Table.AsMemory(), leaves[3].Table.AsMemory(), skip, out childTails[n]);
        for (int k = n - 1; k >= 2; k--)
        {
            int half = 1 << (k - 1);
            var (cp, cq) = (layersP[k], layersQ[k]);
            (layersP[k - 1], layersQ[k - 1]) = PairLayer(cp.AsMemory(0, half), cp.AsMemory(half), cq.AsMemory(0, half), cq.AsMemory(half), skip, out childTails[k]);
        }
        transcript.Absorb("zksgkr.shape", ((ulong)(uint)n << 8) | (uint)maskedLeaves);
        GoldilocksExt2[] Libra(int step) => ZkLinearTerm.ReadPairs(region, layout.Libra(step) - offset, layout.Shapes[step].MaskCoefficients);

        var steps = new ZkSumcheckProof[n];
        var claims = new List<ZkLinearClaim>();
        var values = new List<GoldilocksExt2>();
        var (p1, q1) = (layersP[1], layersQ[1]);
        var root = ZkSumcheck.Prove(transcript, layout.Shapes[0], Libra(0),
            [ZkSumcheckFactor.Masked(p1, [Pair(layout.Child(1, 0))]), ZkSumcheckFactor.Masked([q1[1], q1[0]], [Pair(layout.Child(1, 2))])], [new(GoldilocksExt2.One, [0, 1])]);
        steps[0] = root.Proof;
        var point = root.Reduction.Point.ToArray();
        claims.Add(layout.LibraClaim(0, point));
        values.Add(root.Reduction.MaskValue);
        GoldilocksExt2 r0 = point[0];
        GoldilocksExt2[] zp = [r0], zq = [GoldilocksExt2.One - r0];
        GoldilocksExt2 weight = r0 * (GoldilocksExt2.One - r0);
        GoldilocksExt2[] fold = [GoldilocksExt2.One, GoldilocksExt2.Zero];
        // The next step's claim as the verifier forms it (the kernel's round 0 then skips X = 1).
        GoldilocksExt2 claimP = root.Reduction.Evaluations[0], claimQ = root.Reduction.Evaluations[1];
        ZkSumcheckProverResult step = root;
        // The kernels' work tables, once at the largest step's size (the steps run one after another).
        GoldilocksExt2[][]? work = generic || n < 3 ? null : [.. Enumerable.Range(0, 4).Select(_ => Rent(1 << (n - 2)))];
        for (int k = 2; k <= n; k++)
        {
            GoldilocksExt2 lambda = transcript.ChallengeExt("zkgkr.lambda");
            var weights = ZkFractionalSumGkr.CarriedWeights(fold, lambda);
            GoldilocksExt2 carried = GoldilocksExt2.Zero;
            for (int i = 0; i < 4; i++) carried += weights[i] * Pair(layout.Child(k - 1, i));
            int size = 1 << (k - 1);
            var terms = ZkFractionalSumGkr.Terms(lambda, weight, k - 1);
            if (generic)
            {
                IReadOnlyList<ZkSumcheckFactor> children = k == n ? leaves :
                    [.. Enumerable.Range(0, 4).Select(i => ZkSumcheckFactor.Masked((i < 2 ? layersP[k] : layersQ[k]).AsSpan((i & 1) * size, size), [Pair(layout.Child(k, i))]))];
                var constant = new GoldilocksExt2[size];
                Array.Fill(constant, carried);
                ZkSumcheckFactor[] factors = [new(Multilinear.EqTable(zp)), new(Multilinear.EqTable(zq)), .. children, ZkSumcheckFactor.Masked(constant, [Pair(layout.Sigma(k))])];
                step = ZkSumcheck.Prove(transcript, layout.Shapes[k - 1], Libra(k - 1), factors, terms);
            }
            else
            {
                // The children read in place (no copies), their scalar masks as one-entry masks.
                ReadOnlyMemory<GoldilocksExt2>[] sources = k == n ? [.. leaves.Select(l => (ReadOnlyMemory<GoldilocksExt2>)l.Table)]
                    : [.. Enumerable.Range(0, 4).Select(i => new ReadOnlyMemory<GoldilocksExt2>(i < 2 ? layersP[k] : layersQ[k], (i & 1) * size, size))];
                GoldilocksExt2[]?[] masks = k == n ? [.. leaves.Select(l => l.Mask)] : [.. Enumerable.Range(0, 4).Select(i => new[] { Pair(layout.Child(k, i)) })];
                var kernel = new ZkGkrStepKernel(zp, zq, sources, masks, carried, Pair(layout.Sigma(k)), terms, skipConstantTails, work, claimP + lambda * claimQ, childTails[k]);
                step = ZkSumcheck.Prove(transcript, layout.Shapes[k - 1], Libra(k - 1), kernel, terms);
            }
            steps[k - 1] = step.Proof;
            var r = step.Reduction.Point.ToArray();
            weight = r[^1] * (GoldilocksExt2.One - r[^1]);
            claims.Add(layout.LibraClaim(k - 1, r));
            values.Add(step.Reduction.MaskValue);
            claims.Add(layout.CarriedClaim(k, weights, weight));
            values.Add(step.Reduction.Evaluations[6]);
            if (k == n) break;
            GoldilocksExt2 mu = transcript.ChallengeExt("zkgkr.mu");
            var finals = step.Reduction.Evaluations;
            claimP = finals[2] + mu * (finals[3] - finals[2]);
            claimQ = finals[4] + mu * (finals[5] - finals[4]);
            zp = zq = [mu, .. r];
            fold = [GoldilocksExt2.One - mu, mu];
        }
        // Nothing holds the layers or the work tables past the steps (the kernels read them in place, the generic
        // factors copy them): back to the pool.
        for (int k = 1; k < n; k++)
        {
            Return(layersP[k]);
            Return(layersQ[k]);
        }
        foreach (var workTable in work ?? []) Return(workTable);
        var reduction = new ZkFractionalSumReduction(step.Reduction.Point.ToArray(), step.Reduction.Evaluations[2..6].ToArray(), [], []);
        return new ZkStoredMaskGkrResult(steps, reduction, [.. claims], [.. values]);
    }

    /// <summary>
    /// Verifies the steps (as <see cref="ZkFractionalSumGkr.Verify(Transcript, LigeroParameters, int, int, ZkFractionalSumGkrProof, out ZkFractionalSumReduction)"/>
    /// without the two openings); on success the caller checks the leaf values and proves <paramref name="claims"/> =
    /// <paramref name="values"/> with its <see cref="ZkLinearReduction"/>.
    /// </summary>
    public static bool Verify(Transcript transcript, int variables, int maskedLeaves, IReadOnlyList<ZkSumcheckProof> steps, long offset, int tableIndex,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkFractionalSumReduction? reduction,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkLinearClaim[]? claims,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoldilocksExt2[]? values)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(steps);
        var layout = new Layout(variables, maskedLeaves, offset, tableIndex);
        int n = variables;
        (reduction, claims, values) = (null, null, null);
        if (steps.Count != n || steps.Any(s => s is null)) return false;
        transcript.Absorb("zksgkr.shape", ((ulong)(uint)n << 8) | (uint)maskedLeaves);
        var claimList = new List<ZkLinearClaim>();
        var valueList = new List<GoldilocksExt2>();
        if (!ZkSumcheck.Verify(transcript, layout.Shapes[0], [new(GoldilocksExt2.One, [0, 1])], GoldilocksExt2.Zero, steps[0], out var step)) return false;
        var point = step.Point.ToArray();
        claimList.Add(layout.LibraClaim(0, point));
        valueList.Add(step.MaskValue);
        GoldilocksExt2 r0 = point[0];
        GoldilocksExt2[] zp = [r0], zq = [GoldilocksExt2.One - r0];
        GoldilocksExt2 weight = r0 * (GoldilocksExt2.One - r0), claimP = step.Evaluations[0], claimQ = step.Evaluations[1];
        GoldilocksExt2[] fold = [GoldilocksExt2.One, GoldilocksExt2.Zero];
        for (int k = 2; k <= n; k++)
        {
            GoldilocksExt2 lambda = transcript.ChallengeExt("zkgkr.lambda");
            var weights = ZkFractionalSumGkr.CarriedWeights(fold, lambda);
            if (!ZkSumcheck.Verify(transcript, layout.Shapes[k - 1], ZkFractionalSumGkr.Terms(lambda, weight, k - 1), claimP + lambda * claimQ, steps[k - 1], out step)) return false;
            var r = step.Point.ToArray();
            var finals = step.Evaluations;
            if (finals[0] != Multilinear.Eq(zp, r) || finals[1] != Multilinear.Eq(zq, r)) return false;
            weight = r[^1] * (GoldilocksExt2.One - r[^1]);
            claimList.Add(layout.LibraClaim(k - 1, r));
            valueList.Add(step.MaskValue);
            claimList.Add(layout.CarriedClaim(k, weights, weight));
            valueList.Add(finals[6]);
            if (k == n) break;
            GoldilocksExt2 mu = transcript.ChallengeExt("zkgkr.mu");
            claimP = finals[2] + mu * (finals[3] - finals[2]);
            claimQ = finals[4] + mu * (finals[5] - finals[4]);
            zp = zq = [mu, .. r];
            fold = [GoldilocksExt2.One - mu, mu];
        }
        reduction = new ZkFractionalSumReduction(step.Point.ToArray(), step.Evaluations[2..6].ToArray(), [], []);
        (claims, values) = ([.. claimList], [.. valueList]);
        return true;
    }

    /// <summary>
    /// <see cref="ZkFractionalSumGkr.Pair"/> over parallel chunks (the same layer). Past the constant tails of p0 and p1
    /// (<see cref="ZkGkrStepKernel.ConstantTail"/>: the lookup's padding) p = c0 q1 + c1 q0; past q1's too p = c0 c3 + c1 q0
    /// and q = q0 c3; past q0's too, p and q are constants (<paramref name="skip"/> false: no tails). Constants 0 and 1
    /// (the padding's) cost no product.
    /// </summary>
    private static (GoldilocksExt2[] P, GoldilocksExt2[] Q) PairLayer(ReadOnlyMemory<GoldilocksExt2> p0, ReadOnlyMemory<GoldilocksExt2> p1, ReadOnlyMemory<GoldilocksExt2> q0, ReadOnlyMemory<GoldilocksExt2> q1,
        bool skip, out (int Start, GoldilocksExt2 Value)[]? scanned)
    {
        // Every entry is written below (the loops up to the constant tail, the fill past it): no zeroing.
        var (p, q) = (Rent(p0.Length), Rent(p0.Length));
        int length = p.Length;
        var (t0, c0) = skip ? ZkGkrStepKernel.ConstantTail(p0.Span) : (length, default);
        var (t1, c1) = skip ? ZkGkrStepKernel.ConstantTail(p1.Span) : (length, default);
        var (t2, c2) = skip ? ZkGkrStepKernel.ConstantTail(q0.Span) : (length, default);
        var (t3, c3) = skip ? ZkGkrStepKernel.ConstantTail(q1.Span) : (length, default);
        scanned = skip ? [(t0, c0), (t1, c1), (t2, c2), (t3, c3)] : null;
        var tails = new Tails(Math.Max(t0, t1), Math.Max(t0, Math.Max(t1, t3)), c0, c1, c3);
        int constant = Math.Max(tails.Q0Only, t2);
        Common.ParallelChunks.For(constant, Multilinear.ParallelThreshold, (from, to) => PairRange(p0.Span, p1.Span, q0.Span, q1.Span, p, q, from, to, tails));
        p.AsSpan(constant).Fill(c0 * c3 + c1 * c2);
        q.AsSpan(constant).Fill(c2 * c3);
        return (p, q);
    }

    /// <summary>PairLayer's regions: p0, p1 constant from PConstant on, q1 too from Q0Only on, with their constants.</summary>
    private readonly record struct Tails(int PConstant, int Q0Only, GoldilocksExt2 C0, GoldilocksExt2 C1, GoldilocksExt2 C3);

    /// <summary>c x, with no product when c is 0 or 1.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static GoldilocksExt2 Scale(in GoldilocksExt2 c, in GoldilocksExt2 x) => c.IsOne ? x : c.IsZero ? GoldilocksExt2.Zero : GoldilocksExt2.Mul(c, x);

    /// <summary>PairLayer's entries from..to (a separate method so that the field products inline).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void PairRange(ReadOnlySpan<GoldilocksExt2> a0, ReadOnlySpan<GoldilocksExt2> a1, ReadOnlySpan<GoldilocksExt2> b0, ReadOnlySpan<GoldilocksExt2> b1,
        Span<GoldilocksExt2> p, Span<GoldilocksExt2> q, int from, int to, Tails tails)
    {
        var (c0, c1, c3) = (tails.C0, tails.C1, tails.C3);
        int start = from;
        if (ZkGkrStepKernel.Ext4.Enabled) start = PairRange4(a0, a1, b0, b1, p, q, from, Math.Min(to, tails.PConstant));
        for (int i = start, end = Math.Min(to, tails.PConstant); i < end; i++)
        {
            p[i] = GoldilocksExt2.Add(GoldilocksExt2.Mul(a0[i], b1[i]), GoldilocksExt2.Mul(a1[i], b0[i]));
            q[i] = GoldilocksExt2.Mul(b0[i], b1[i]);
        }
        start = Math.Max(from, tails.PConstant);
        if (ZkGkrStepKernel.Ext4.Enabled) start = PairMiddle4(b0, b1, p, q, start, Math.Min(to, tails.Q0Only), c0, c1);
        for (int i = start, end = Math.Min(to, tails.Q0Only); i < end; i++)
        {
            p[i] = GoldilocksExt2.Add(Scale(c0, b1[i]), Scale(c1, b0[i]));
            q[i] = GoldilocksExt2.Mul(b0[i], b1[i]);
        }
        GoldilocksExt2 a = c0 * c3;
        start = Math.Max(from, tails.Q0Only);
        if (ZkGkrStepKernel.Ext4.Enabled) start = PairLast4(b0, p, q, start, to, a, c1, c3);
        for (int i = start; i < to; i++)
        {
            p[i] = GoldilocksExt2.Add(a, Scale(c1, b0[i]));
            q[i] = Scale(c3, b0[i]);
        }
    }

    /// <summary>PairRange's first loop (every child varies), four entries at a time from <paramref name="from"/> while four remain; returns where it stopped.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int PairRange4(ReadOnlySpan<GoldilocksExt2> a0, ReadOnlySpan<GoldilocksExt2> a1, ReadOnlySpan<GoldilocksExt2> b0, ReadOnlySpan<GoldilocksExt2> b1,
        Span<GoldilocksExt2> p, Span<GoldilocksExt2> q, int from, int to)
    {
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            var (d7, ds) = ZkGkrStepKernel.Ext4.Prepare(ZkGkrStepKernel.Ext4.Load(b1, i));
            var c = ZkGkrStepKernel.Ext4.Load(b0, i);
            ZkGkrStepKernel.Ext4.Store(p, i, ZkGkrStepKernel.Ext4.Add(ZkGkrStepKernel.Ext4.Mul(ZkGkrStepKernel.Ext4.Load(a0, i), d7, ds),
                ZkGkrStepKernel.Ext4.Mul(ZkGkrStepKernel.Ext4.Load(a1, i), c)));
            ZkGkrStepKernel.Ext4.Store(q, i, ZkGkrStepKernel.Ext4.Mul(c, d7, ds));
        }
        return i;
    }

    /// <summary>PairRange's second loop (p0, p1 constant), four entries at a time; returns where it stopped.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int PairMiddle4(ReadOnlySpan<GoldilocksExt2> b0, ReadOnlySpan<GoldilocksExt2> b1, Span<GoldilocksExt2> p, Span<GoldilocksExt2> q, int from, int to,
        GoldilocksExt2 c0, GoldilocksExt2 c1)
    {
        var s0 = new Scale4(c0);
        var s1 = new Scale4(c1);
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            var (d, c) = (ZkGkrStepKernel.Ext4.Load(b1, i), ZkGkrStepKernel.Ext4.Load(b0, i));
            ZkGkrStepKernel.Ext4.Store(p, i, ZkGkrStepKernel.Ext4.Add(s0.Times(d), s1.Times(c)));
            ZkGkrStepKernel.Ext4.Store(q, i, ZkGkrStepKernel.Ext4.Mul(c, d));
        }
        return i;
    }

    /// <summary>PairRange's last loop (only q0 varies), four entries at a time; returns where it stopped.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int PairLast4(ReadOnlySpan<GoldilocksExt2> b0, Span<GoldilocksExt2> p, Span<GoldilocksExt2> q, int from, int to, GoldilocksExt2 a, GoldilocksExt2 c1, GoldilocksExt2 c3)
    {
        var s1 = new Scale4(c1);
        var s3 = new Scale4(c3);
        var four = ZkGkrStepKernel.Ext4.Broadcast(a);
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            var c = ZkGkrStepKernel.Ext4.Load(b0, i);
            ZkGkrStepKernel.Ext4.Store(p, i, ZkGkrStepKernel.Ext4.Add(four, s1.Times(c)));
            ZkGkrStepKernel.Ext4.Store(q, i, s3.Times(c));
        }
        return i;
    }

    /// <summary><see cref="Scale"/> on four elements: c x, with no product when c is 0 or 1.</summary>
    private readonly struct Scale4
    {
        private readonly System.Runtime.Intrinsics.Vector512<ulong> _seven, _swapped;
        private readonly bool _one, _zero;

        internal Scale4(GoldilocksExt2 c)
        {
            (_one, _zero) = (c.IsOne, c.IsZero);
            (_seven, _swapped) = ZkGkrStepKernel.Ext4.Prepare(ZkGkrStepKernel.Ext4.Broadcast(c));
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal System.Runtime.Intrinsics.Vector512<ulong> Times(System.Runtime.Intrinsics.Vector512<ulong> x) =>
            _one ? x : _zero ? System.Runtime.Intrinsics.Vector512<ulong>.Zero : ZkGkrStepKernel.Ext4.Mul(x, _seven, _swapped);
    }

    /// <summary>
    /// Arrays from this size on come from the shared pool (exact power-of-two lengths) and go back after the proof: a
    /// fresh large array costs a page fault per 4 KB on first touch, about half of building the layers at 2^22 leaves.
    /// </summary>
    private const int PooledFrom = 1 << 12;

    /// <summary>An uninitialised array of exactly <paramref name="length"/> entries, pooled when large.</summary>
    private static GoldilocksExt2[] Rent(int length)
    {
        if (length >= PooledFrom)
        {
            var array = System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Rent(length);
            if (array.Length == length) return array;
            System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Return(array);
        }
        return GC.AllocateUninitializedArray<GoldilocksExt2>(length);
    }

    private static void Return(GoldilocksExt2[]? array)
    {
        if (array is { Length: >= PooledFrom }) System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Return(array);
    }

    private static int ScalarBlocks(int variables, int stride) => (10 * (variables - 1) + stride - 1) / stride;

    /// <summary>Where each mask lives: child scalars, then sigmas (base pairs), then one aligned Libra block per step.</summary>
    private sealed class Layout
    {
        private readonly long _offset;
        private readonly int _variables, _stride, _table;

        internal Layout(int variables, int maskedLeaves, long offset, int table)
        {
            ZkFractionalSumGkr.CheckStatement(variables, maskedLeaves);
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            (_variables, _offset, _table) = (variables, offset, table);
            _stride = Alignment(variables, maskedLeaves);
            if (offset % _stride != 0) throw new ArgumentException($"The mask region starts at a multiple of {_stride}.", nameof(offset));
            Shapes = ZkStoredMaskGkr.Shapes(variables, maskedLeaves);
            Entries = MaskEntries(variables, maskedLeaves);
        }

        internal IReadOnlyList<ZkSumcheckShape> Shapes { get; }
        internal int Entries { get; }

        /// <summary>c_(k,i) of middle layer k = 1..n - 1, child i in (p0, p1, q0, q1).</summary>
        internal long Child(int layer, int i) => _offset + 2 * (4 * (layer - 1) + i);
        /// <summary>sigma of the mask step k = 2..n carries.</summary>
        internal long Sigma(int step) => _offset + 8 * (_variables - 1) + 2 * (step - 2);
        internal long Libra(int step) => _offset + (long)_stride * (ScalarBlocks(_variables, _stride) + step);

        internal ZkLinearClaim LibraClaim(int step, GoldilocksExt2[] point) => new(ZkLinearTerm.MaskValue(Libra(step), Shapes[step], point, _table));

        /// <summary>E' of step k: sum_i w_i c_(k-1,i) + z sigma_k.</summary>
        internal ZkLinearClaim CarriedClaim(int step, GoldilocksExt2[] weights, GoldilocksExt2 z) =>
            new([.. Enumerable.Range(0, 4).Select(i => ZkLinearTerm.Scalar(Child(step - 1, i), weights[i], _table)), ZkLinearTerm.Scalar(Sigma(step), z, _table)]);
    }
}
