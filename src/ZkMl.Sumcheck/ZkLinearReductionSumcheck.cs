using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The <see cref="ZkLinearReduction"/>'s Libra-masked sumcheck of sum_C sum_(x in {0,1}^n) F'_C(x_tail) Lambda_C(x_tail)
/// eq(0, x_lead) over n = max n_C variables (x_lead the first n - n_C), at a prover cost of O(sum_C 2^(n_C)) instead of
/// K 2^n: in its lead rounds a term's round polynomial is (1 - X) sel S_C (S_C its own sum, sel the product of (1 - r_i)
/// over the lead challenges so far: only x_lead = 0 counts), and afterwards it is an ordinary round of F'_C Lambda_C on its
/// own folded tables times the final sel. The messages are exactly those of one padded sumcheck of shape (n, 2 factors,
/// 1 masked, v) over the same polynomial, so soundness and zero knowledge are that sumcheck's (README, "Zero knowledge", 5).
/// </summary>
internal static class ZkLinearReductionSumcheck
{
    /// <summary>What the prover sends (rounds, one final F'_C(r_tail) per commitment, G and g'(r)) and the point.</summary>
    internal readonly record struct Result(GoldilocksExt2[] Messages, GoldilocksExt2[] Point, GoldilocksExt2[] Finals, GoldilocksExt2 MaskSum, GoldilocksExt2 MaskValue);

    private const int Threshold = 1 << 13;

    /// <summary>
    /// Proves sum_C sums[C] (sums[C] = &lt;T_C, Lambda_C&gt;, checked by the caller) for tables T_C of variables[C]
    /// variables, the public Lambda_C (consumed: folded in place), evaluation masks R_C over each table's last
    /// log2 |R_C| variables, Libra coefficients g of <paramref name="shape"/>.
    /// </summary>
    internal static Result Prove(Transcript transcript, ZkSumcheckShape shape, int[] variables, GoldilocksExt2[] g, Goldilocks[][] tables, GoldilocksExt2[][] lambdas,
        GoldilocksExt2[][] masks, GoldilocksExt2[] sums, GoldilocksExt2[]? first = null)
    {
        int n = shape.Variables, v = shape.MaskVariable, k = tables.Length;
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        foreach (var s in sums) claim += s;
        GoldilocksExt2 maskSum = ZkSumcheck.MaskSum(shape, g);
        GoldilocksExt2 rho = Begin(transcript, shape, variables, claim, maskSum);

        var messages = new GoldilocksExt2[shape.MessageCount];
        var point = new GoldilocksExt2[n];
        var scale = new GoldilocksExt2[k];
        Array.Fill(scale, GoldilocksExt2.One);
        var folded = new GoldilocksExt2[]?[k];
        var maskTables = new GoldilocksExt2[k][];
        var lengths = new int[k];
        var maskLengths = new int[k];
        for (int c = 0; c < k; c++)
        {
            lengths[c] = 1 << variables[c];
            maskTables[c] = masks[c];
            maskLengths[c] = masks[c].Length;
            // A mask round on the first local round reads the table as extension values.
            if (v == n - variables[c])
            {
                var ext = folded[c] = new GoldilocksExt2[tables[c].Length];
                for (int x = 0; x < ext.Length; x++) ext[x] = new GoldilocksExt2(tables[c][x], Goldilocks.Zero);
            }
        }
        // A plain round's sums computed while folding the round before (one pass over the tables instead of two).
        var pending = new GoldilocksExt2[k * 2];
        var hasPending = new bool[k];
        // A table's first own round (unless it is the mask round) was summed with Lambda (ZkLinearReduction.Lambdas).
        if (first is not null)
            for (int c = 0; c < k; c++)
                if (v != n - variables[c]) (hasPending[c], pending[2 * c], pending[2 * c + 1]) = (true, first[2 * c], first[2 * c + 1]);
        Span<GoldilocksExt2> round = stackalloc GoldilocksExt2[SumcheckProof.MaxDegree + 1];
        Span<GoldilocksExt2> part = stackalloc GoldilocksExt2[SumcheckProof.MaxDegree + 1];
        GoldilocksExt2 prefix = g[0];
        for (int i = 0, at = 0; i < n; i++)
        {
            int d = shape.RoundDegree(i);
            round.Clear();
            for (int c = 0; c < k; c++)
            {
                int lead = n - variables[c];
                if (i < lead)
                {
                    // (1 - t) sel S_C at t = 0, 2, 3, ...
                    GoldilocksExt2 constant = scale[c] * sums[c];
                    round[0] += constant;
                    for (int t = 2; t <= d; t++) round[t] -= constant * Goldilocks.FromUInt64((ulong)(t - 1));
                    continue;
                }
                int half = lengths[c] / 2;
                part.Clear();
                if (i == v) MaskedRound(folded[c]!, lambdas[c], maskTables[c], maskLengths[c], half, part);
                else if (hasPending[c]) (part[0], part[2]) = (pending[2 * c], pending[2 * c + 1]);
                else if (folded[c] is { } f) PlainRound(f, lambdas[c], half, part);
                else PlainRound(tables[c], lambdas[c], half, part);
                for (int t = 0; t <= d; t++) round[t] += scale[c] * part[t];
            }
            var message = messages.AsSpan(at, d);
            for (int slot = 0; slot < d; slot++)
            {
                int t = slot == 0 ? 0 : slot + 1;
                message[slot] = round[t] + rho * ZkSumcheck.MaskRound(shape, g, i, prefix, t);
            }
            at += d;
            transcript.Absorb("zklr.round", message);
            GoldilocksExt2 r = point[i] = transcript.ChallengeExt("zklr.challenge");
            prefix += ZkSumcheck.Univariate(shape, g, i, r);
            for (int c = 0; c < k; c++)
            {
                int lead = n - variables[c];
                if (i < lead)
                {
                    scale[c] *= GoldilocksExt2.One - r;
                    continue;
                }
                int length = lengths[c], half = length / 2;
                // Fused unless the mask enters now (it changes F' after the fold) or next (the masked round reads it itself).
                hasPending[c] = i + 1 < n && i != v && i + 1 != v;
                if (hasPending[c])
                {
                    var source = folded[c] is null ? tables[c] : null;
                    // Written whole by the first fold.
                    folded[c] ??= GC.AllocateUninitializedArray<GoldilocksExt2>(half);
                    FoldAndRound(folded[c]!, source, lambdas[c], half, r, pending.AsSpan(2 * c, 2));
                }
                else
                {
                    if (folded[c] is { } f) Multilinear.FixFirstVariableInPlace(f.AsSpan(0, length), r);
                    else
                    {
                        var next = new GoldilocksExt2[half];
                        Multilinear.FixFirstVariable(tables[c], r, next);
                        folded[c] = next;
                    }
                    Multilinear.FixFirstVariableInPlace(lambdas[c].AsSpan(0, length), r);
                }
                lengths[c] = half;
                if (i > v) continue;
                // The mask depends on the table's last variables only: it folds when the round's variable is one of them.
                var mask = maskTables[c];
                if (maskLengths[c] == length) maskLengths[c] = Multilinear.FixFirstVariableInPlace(mask.AsSpan(0, length), r);
                if (i < v) continue;
                // Past x_v the mask's weight is the constant r_v (1 - r_v): fold it into F'.
                GoldilocksExt2 weight = r * (GoldilocksExt2.One - r);
                var table = folded[c]!;
                int maskLength = maskLengths[c];
                for (int j = 0; j < half; j++) table[j] += weight * mask[j & (maskLength - 1)];
            }
        }
        var finals = new GoldilocksExt2[k];
        for (int c = 0; c < k; c++) finals[c] = folded[c]![0];
        transcript.Absorb("zklr.final", [.. finals, prefix]);
        return new Result(messages, point, finals, maskSum, prefix);
    }

    /// <summary>
    /// Replays the rounds; returns the running claim the finals must meet:
    /// sum_C sel_C(r) F'_C(r) Lambda_C(r) + rho g'(r) (<see cref="Selector"/>).
    /// </summary>
    internal static bool Replay(Transcript transcript, ZkSumcheckShape shape, int[] variables, GoldilocksExt2 claim, GoldilocksExt2 maskSum, ReadOnlySpan<GoldilocksExt2> messages,
        ReadOnlySpan<GoldilocksExt2> finals, GoldilocksExt2 maskValue, out GoldilocksExt2[] point, out GoldilocksExt2 running, out GoldilocksExt2 rho)
    {
        point = new GoldilocksExt2[shape.Variables];
        running = GoldilocksExt2.Zero;
        rho = Begin(transcript, shape, variables, claim, maskSum);
        if (messages.Length != shape.MessageCount || finals.Length != variables.Length) return false;
        running = claim + rho * maskSum;
        for (int i = 0, at = 0; i < shape.Variables; i++)
        {
            int d = shape.RoundDegree(i);
            running = RoundPolynomial.Replay(transcript, messages.Slice(at, d), d, running, "zklr.round", "zklr.challenge", point.AsSpan(i, 1));
            at += d;
        }
        transcript.Absorb("zklr.final", [.. finals, maskValue]);
        return true;
    }

    /// <summary>eq(0, r_lead) for a table of <paramref name="variables"/> of the n: the product of (1 - r_i) over its lead.</summary>
    internal static GoldilocksExt2 Selector(ReadOnlySpan<GoldilocksExt2> point, int variables)
    {
        GoldilocksExt2 selector = GoldilocksExt2.One;
        for (int i = 0; i < point.Length - variables; i++) selector *= GoldilocksExt2.One - point[i];
        return selector;
    }

    private static GoldilocksExt2 Begin(Transcript transcript, ZkSumcheckShape shape, int[] variables, GoldilocksExt2 claim, GoldilocksExt2 maskSum)
    {
        transcript.Absorb("zklr.shape", shape.Tag);
        transcript.Absorb("zklr.tables", [.. variables.Select(x => (byte)x)]);
        transcript.Absorb("zklr.claim", [claim]);
        transcript.Absorb("zklr.masksum", [maskSum]);
        return transcript.ChallengeExt("zklr.rho");
    }

    /// <summary>
    /// Chunks of a round's pairs, each summed apart: a few per core so that a busy core's share moves to the other
    /// (field sums are exact: any split gives the same message), no per-pair allocation.
    /// </summary>
    private static int Chunks(int half) => Math.Max(1, Math.Min(4 * Environment.ProcessorCount, half / Threshold));

    /// <summary>Runs the chunks in parallel, or inline when there is one (small tables: most rounds of most commitments).</summary>
    private static void ForChunks(int chunks, Action<int> body)
    {
        if (chunks == 1) body(0);
        else Parallel.For(0, chunks, body);
    }

    /// <summary>Entries of one fold-then-sum block (four spans of 16-byte entries stay in L1/L2).</summary>
    private const int FoldBlock = 1 << 10;

    private static int ChunkStart(int length, int chunks, int c) => (int)((long)length * c / chunks);

    /// <summary>part[0], part[2] += sums of f(t) lambda(t) at t = 0, 2 over the pairs of a base table's first round.</summary>
    private static void PlainRound(Goldilocks[] f, GoldilocksExt2[] lambda, int half, Span<GoldilocksExt2> part)
    {
        int chunks = Chunks(half);
        var partial = new GoldilocksExt2[2 * chunks];
        ForChunks(chunks, c =>
        {
            int begin = ChunkStart(half, chunks, c), length = ChunkStart(half, chunks, c + 1) - begin;
            (partial[2 * c], partial[2 * c + 1]) = PlainSums(f.AsSpan(begin, length), f.AsSpan(half + begin, length), lambda.AsSpan(begin, length), lambda.AsSpan(half + begin, length));
        });
        for (int c = 0; c < chunks; c++) (part[0], part[2]) = (part[0] + partial[2 * c], part[2] + partial[2 * c + 1]);
    }

    /// <summary>sum f0 l0 and sum (2 f1 - f0)(2 l1 - l0) for base f: four unreduced 64-bit products per pair.</summary>
    private static (GoldilocksExt2, GoldilocksExt2) PlainSums(ReadOnlySpan<Goldilocks> f0, ReadOnlySpan<Goldilocks> f1, ReadOnlySpan<GoldilocksExt2> l0, ReadOnlySpan<GoldilocksExt2> l1)
    {
        ZkLinearAccumulator a0 = default, a1 = default, b0 = default, b1 = default;
        f1 = f1[..f0.Length];
        l0 = l0[..f0.Length];
        l1 = l1[..f0.Length];
        for (int i = 0; i < f0.Length; i++)
        {
            Goldilocks x = f0[i], y = f1[i];
            GoldilocksExt2 u = l0[i], w = l1[i];
            ulong t = (y + y - x).Value;
            GoldilocksExt2 w2 = GoldilocksExt2.Sub(GoldilocksExt2.Add(w, w), u);
            a0.Add(u.C0.Value, x.Value);
            a1.Add(u.C1.Value, x.Value);
            b0.Add(w2.C0.Value, t);
            b1.Add(w2.C1.Value, t);
        }
        return (new GoldilocksExt2(a0.Value, a1.Value), new GoldilocksExt2(b0.Value, b1.Value));
    }

    /// <summary>sum f0 l0, sum f1 l1 and sum (2 f1 - f0)(2 l1 - l0) for base f (the Lambda pass's inner product and first round).</summary>
    internal static (GoldilocksExt2, GoldilocksExt2, GoldilocksExt2) FirstSums(ReadOnlySpan<Goldilocks> f0, ReadOnlySpan<Goldilocks> f1, ReadOnlySpan<GoldilocksExt2> l0,
        ReadOnlySpan<GoldilocksExt2> l1)
    {
        ZkLinearAccumulator a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default;
        f1 = f1[..f0.Length];
        l0 = l0[..f0.Length];
        l1 = l1[..f0.Length];
        for (int i = 0; i < f0.Length; i++)
        {
            Goldilocks x = f0[i], y = f1[i];
            GoldilocksExt2 u = l0[i], w = l1[i];
            ulong t = (y + y - x).Value;
            GoldilocksExt2 w2 = GoldilocksExt2.Sub(GoldilocksExt2.Add(w, w), u);
            a0.Add(u.C0.Value, x.Value);
            a1.Add(u.C1.Value, x.Value);
            b0.Add(w.C0.Value, y.Value);
            b1.Add(w.C1.Value, y.Value);
            c0.Add(w2.C0.Value, t);
            c1.Add(w2.C1.Value, t);
        }
        return (new GoldilocksExt2(a0.Value, a1.Value), new GoldilocksExt2(b0.Value, b1.Value), new GoldilocksExt2(c0.Value, c1.Value));
    }

    /// <summary>As the base <c>PlainRound</c> for a folded (extension) table.</summary>
    private static void PlainRound(GoldilocksExt2[] f, GoldilocksExt2[] lambda, int half, Span<GoldilocksExt2> part)
    {
        int chunks = Chunks(half);
        var partial = new GoldilocksExt2[2 * chunks];
        ForChunks(chunks, c =>
        {
            int begin = ChunkStart(half, chunks, c), length = ChunkStart(half, chunks, c + 1) - begin;
            (partial[2 * c], partial[2 * c + 1]) = PlainSums(f.AsSpan(begin, length), f.AsSpan(half + begin, length), lambda.AsSpan(begin, length), lambda.AsSpan(half + begin, length));
        });
        for (int c = 0; c < chunks; c++) (part[0], part[2]) = (part[0] + partial[2 * c], part[2] + partial[2 * c + 1]);
    }

    /// <summary>sum f0 l0 and sum (2 f1 - f0)(2 l1 - l0) for extension f, the products unreduced.</summary>
    private static (GoldilocksExt2, GoldilocksExt2) PlainSums(ReadOnlySpan<GoldilocksExt2> f0, ReadOnlySpan<GoldilocksExt2> f1, ReadOnlySpan<GoldilocksExt2> l0, ReadOnlySpan<GoldilocksExt2> l1)
    {
        ZkLinearExtAccumulator s0 = default, s2 = default;
        f1 = f1[..f0.Length];
        l0 = l0[..f0.Length];
        l1 = l1[..f0.Length];
        for (int i = 0; i < f0.Length; i++)
        {
            GoldilocksExt2 x = f0[i], y = f1[i], u = l0[i], w = l1[i];
            s0.Add(x, u);
            s2.Add(GoldilocksExt2.Sub(GoldilocksExt2.Add(y, y), x), GoldilocksExt2.Sub(GoldilocksExt2.Add(w, w), u));
        }
        return (s0.Value, s2.Value);
    }

    /// <summary>
    /// Fixes the first variable of F (from the base table <paramref name="source"/> into <paramref name="f"/> on the first
    /// fold, else in place) and of Lambda to r, and returns the next round's sums at t = 0, 2 over the folded halves
    /// (pairs j, j + half / 2): each entry is read and written once for both.
    /// </summary>
    private static void FoldAndRound(GoldilocksExt2[] f, Goldilocks[]? source, GoldilocksExt2[] lambda, int half, GoldilocksExt2 r, Span<GoldilocksExt2> sums)
    {
        int quarter = half / 2, chunks = Chunks(quarter);
        var partial = new GoldilocksExt2[2 * chunks];
        ForChunks(chunks, c =>
        {
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s2 = GoldilocksExt2.Zero;
            // Blocks small enough that the sums read the folded entries from cache.
            for (int begin = ChunkStart(quarter, chunks, c), end = ChunkStart(quarter, chunks, c + 1); begin < end; begin += FoldBlock)
            {
                int length = Math.Min(FoldBlock, end - begin);
                if (source is not null)
                    FoldBase(source.AsSpan(begin, length), source.AsSpan(quarter + begin, length), source.AsSpan(half + begin, length), source.AsSpan(half + quarter + begin, length),
                        f.AsSpan(begin, length), f.AsSpan(quarter + begin, length), r);
                else
                    Fold(f.AsSpan(begin, length), f.AsSpan(quarter + begin, length), f.AsSpan(half + begin, length), f.AsSpan(half + quarter + begin, length), r);
                Fold(lambda.AsSpan(begin, length), lambda.AsSpan(quarter + begin, length), lambda.AsSpan(half + begin, length), lambda.AsSpan(half + quarter + begin, length), r);
                var (t0, t2) = PlainSums(f.AsSpan(begin, length), f.AsSpan(quarter + begin, length), lambda.AsSpan(begin, length), lambda.AsSpan(quarter + begin, length));
                (s0, s2) = (s0 + t0, s2 + t2);
            }
            (partial[2 * c], partial[2 * c + 1]) = (s0, s2);
        });
        sums.Clear();
        for (int c = 0; c < chunks; c++) (sums[0], sums[1]) = (sums[0] + partial[2 * c], sums[1] + partial[2 * c + 1]);
    }

    /// <summary>x0 += r (y0 - x0), x1 += r (y1 - x1) over a chunk (the chunk's entries stay in cache for the sums after).</summary>
    private static void Fold(Span<GoldilocksExt2> x0, Span<GoldilocksExt2> x1, ReadOnlySpan<GoldilocksExt2> y0, ReadOnlySpan<GoldilocksExt2> y1, GoldilocksExt2 r)
    {
        x1 = x1[..x0.Length];
        y0 = y0[..x0.Length];
        y1 = y1[..x0.Length];
        for (int i = 0; i < x0.Length; i++)
        {
            GoldilocksExt2 a = x0[i], b = x1[i];
            x0[i] = GoldilocksExt2.Add(a, GoldilocksExt2.Mul(r, GoldilocksExt2.Sub(y0[i], a)));
            x1[i] = GoldilocksExt2.Add(b, GoldilocksExt2.Mul(r, GoldilocksExt2.Sub(y1[i], b)));
        }
    }

    /// <summary>As <c>Fold</c> from base entries into extension ones: r (y - x) + x, two base products each.</summary>
    private static void FoldBase(ReadOnlySpan<Goldilocks> x0, ReadOnlySpan<Goldilocks> x1, ReadOnlySpan<Goldilocks> y0, ReadOnlySpan<Goldilocks> y1,
        Span<GoldilocksExt2> z0, Span<GoldilocksExt2> z1, GoldilocksExt2 r)
    {
        x1 = x1[..x0.Length];
        y0 = y0[..x0.Length];
        y1 = y1[..x0.Length];
        z0 = z0[..x0.Length];
        z1 = z1[..x0.Length];
        for (int i = 0; i < x0.Length; i++)
        {
            Goldilocks a = x0[i], b = x1[i];
            z0[i] = GoldilocksExt2.Add(GoldilocksExt2.Mul(r, y0[i] - a), a);
            z1[i] = GoldilocksExt2.Add(GoldilocksExt2.Mul(r, y1[i] - b), b);
        }
    }

    /// <summary>
    /// The mask round (degree 4): part[t] += sum of (f(t) + t (1 - t) R(t)) lambda(t) at t = 0, 2, 3, 4, R(t) the mask's
    /// line when the variable is one of its own (its length equals the table's), else its constant R[i mod |R|].
    /// </summary>
    private static void MaskedRound(GoldilocksExt2[] f, GoldilocksExt2[] lambda, GoldilocksExt2[] mask, int maskLength, int half, Span<GoldilocksExt2> part)
    {
        int chunks = Chunks(half);
        var partial = new GoldilocksExt2[4 * chunks];
        bool moving = maskLength == 2 * half;
        Goldilocks w2 = Goldilocks.Zero - Goldilocks.FromUInt64(2), w3 = Goldilocks.Zero - Goldilocks.FromUInt64(6), w4 = Goldilocks.Zero - Goldilocks.FromUInt64(12);
        ForChunks(chunks, c =>
        {
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s2 = GoldilocksExt2.Zero, s3 = GoldilocksExt2.Zero, s4 = GoldilocksExt2.Zero;
            for (int i = (int)((long)half * c / chunks), end = (int)((long)half * (c + 1) / chunks); i < end; i++)
            {
                GoldilocksExt2 f0 = f[i], df = f[i + half] - f0, l0 = lambda[i], dl = lambda[i + half] - l0;
                GoldilocksExt2 r0 = moving ? mask[i] : mask[i & (maskLength - 1)], dr = moving ? mask[i + half] - r0 : GoldilocksExt2.Zero;
                GoldilocksExt2 f2 = f0 + df + df, l2 = l0 + dl + dl, r2 = r0 + dr + dr;
                GoldilocksExt2 f3 = f2 + df, l3 = l2 + dl, r3 = r2 + dr;
                GoldilocksExt2 f4 = f3 + df, l4 = l3 + dl, r4 = r3 + dr;
                s0 += f0 * l0;
                s2 += (f2 + r2 * w2) * l2;
                s3 += (f3 + r3 * w3) * l3;
                s4 += (f4 + r4 * w4) * l4;
            }
            (partial[4 * c], partial[4 * c + 1], partial[4 * c + 2], partial[4 * c + 3]) = (s0, s2, s3, s4);
        });
        for (int c = 0; c < chunks; c++)
        {
            part[0] += partial[4 * c];
            part[2] += partial[4 * c + 1];
            part[3] += partial[4 * c + 2];
            part[4] += partial[4 * c + 3];
        }
    }
}
