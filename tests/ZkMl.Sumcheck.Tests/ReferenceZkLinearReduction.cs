using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// A frozen copy of the zero-knowledge linear reduction's prover as it was before its kernel (session 14): the Lambda
/// pass of <c>ZkLinearReduction.Lambdas</c> and <c>ZkLinearReductionSumcheck.Prove</c>, for equivalence tests of the kernel.
/// </summary>
internal static class ReferenceZkLinearReduction
{
    internal static GoldilocksExt2[][] Lambdas(IReadOnlyList<ZkLinearClaim> claims, GoldilocksExt2[] beta, int[] variables, Goldilocks[][] tables, GoldilocksExt2[] sums)
    {
        int k = variables.Length;
        var lambdas = new GoldilocksExt2[k][];
        // Blocks of every table in one parallel pass: each block adds every claim's terms that reach it.
        var blocks = new List<(int Table, long From, int Length)>();
        for (int c = 0; c < k; c++)
        {
            lambdas[c] = new GoldilocksExt2[1 << variables[c]];
            int length = Math.Min(lambdas[c].Length, Math.Max(LambdaBlock, lambdas[c].Length / (4 * Environment.ProcessorCount)));
            for (long from = 0; from < lambdas[c].Length; from += length) blocks.Add((c, from, length));
        }
        var partial = new GoldilocksExt2[blocks.Count];
        Parallel.For(0, blocks.Count, () => new GoldilocksExt2[LambdaBlock], (b, _, buffer) =>
        {
            var (c, from, length) = blocks[b];
            if (buffer.Length < length / 2) buffer = new GoldilocksExt2[length / 2];
            for (int j = 0; j < claims.Count; j++) claims[j].AddTo(c, lambdas[c], beta[j], from, length, buffer);
            partial[b] = InnerProduct(tables[c].AsSpan((int)from, length), lambdas[c].AsSpan((int)from, length));
            return buffer;
        }, _ => { });
        for (int b = 0; b < blocks.Count; b++) sums[blocks[b].Table] += partial[b];
        return lambdas;
    }

    private const int LambdaBlock = 1 << 12;

    private static GoldilocksExt2 InnerProduct(ReadOnlySpan<Goldilocks> table, ReadOnlySpan<GoldilocksExt2> weights)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < table.Length; i++) sum += weights[i] * table[i];
        return sum;
    }

    private const int Threshold = 1 << 13;

    /// <summary>
    /// Proves sum_C sums[C] (sums[C] = &lt;T_C, Lambda_C&gt;, checked by the caller) for tables T_C of variables[C]
    /// variables, the public Lambda_C (consumed: folded in place), evaluation masks R_C over each table's last
    /// log2 |R_C| variables, Libra coefficients g of <paramref name="shape"/>.
    /// </summary>
    internal static ZkLinearReductionSumcheck.Result Prove(Transcript transcript, ZkSumcheckShape shape, int[] variables, GoldilocksExt2[] g, Goldilocks[][] tables, GoldilocksExt2[][] lambdas,
        GoldilocksExt2[][] masks, GoldilocksExt2[] sums)
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
                    folded[c] ??= new GoldilocksExt2[half];
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
        return new ZkLinearReductionSumcheck.Result(messages, point, finals, maskSum, prefix);
    }

    private static GoldilocksExt2 Begin(Transcript transcript, ZkSumcheckShape shape, int[] variables, GoldilocksExt2 claim, GoldilocksExt2 maskSum)
    {
        transcript.Absorb("zklr.shape", shape.Tag);
        transcript.Absorb("zklr.tables", [.. variables.Select(x => (byte)x)]);
        transcript.Absorb("zklr.claim", [claim]);
        transcript.Absorb("zklr.masksum", [maskSum]);
        return transcript.ChallengeExt("zklr.rho");
    }

    /// <summary>Chunks of a round's pairs, each summed apart (two cores: a few chunks, no per-pair allocation).</summary>
    private static int Chunks(int half) => Math.Max(1, Math.Min(Environment.ProcessorCount, half / Threshold));

    /// <summary>Runs the chunks in parallel, or inline when there is one (small tables: most rounds of most commitments).</summary>
    private static void ForChunks(int chunks, Action<int> body)
    {
        if (chunks == 1) body(0);
        else Parallel.For(0, chunks, body);
    }

    /// <summary>part[0], part[2] += sums of f(t) lambda(t) at t = 0, 2 over the pairs of a base table's first round.</summary>
    private static void PlainRound(Goldilocks[] f, GoldilocksExt2[] lambda, int half, Span<GoldilocksExt2> part)
    {
        int chunks = Chunks(half);
        var partial = new GoldilocksExt2[2 * chunks];
        ForChunks(chunks, c =>
        {
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s2 = GoldilocksExt2.Zero;
            for (int i = (int)((long)half * c / chunks), end = (int)((long)half * (c + 1) / chunks); i < end; i++)
            {
                Goldilocks f0 = f[i], f1 = f[i + half];
                GoldilocksExt2 l0 = lambda[i], l1 = lambda[i + half];
                s0 += l0 * f0;
                s2 += (l1 + l1 - l0) * (f1 + f1 - f0);
            }
            (partial[2 * c], partial[2 * c + 1]) = (s0, s2);
        });
        for (int c = 0; c < chunks; c++) (part[0], part[2]) = (part[0] + partial[2 * c], part[2] + partial[2 * c + 1]);
    }

    /// <summary>As the base <c>PlainRound</c> for a folded (extension) table.</summary>
    private static void PlainRound(GoldilocksExt2[] f, GoldilocksExt2[] lambda, int half, Span<GoldilocksExt2> part)
    {
        int chunks = Chunks(half);
        var partial = new GoldilocksExt2[2 * chunks];
        ForChunks(chunks, c =>
        {
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s2 = GoldilocksExt2.Zero;
            for (int i = (int)((long)half * c / chunks), end = (int)((long)half * (c + 1) / chunks); i < end; i++)
            {
                GoldilocksExt2 f0 = f[i], f1 = f[i + half], l0 = lambda[i], l1 = lambda[i + half];
                s0 += f0 * l0;
                s2 += (f1 + f1 - f0) * (l1 + l1 - l0);
            }
            (partial[2 * c], partial[2 * c + 1]) = (s0, s2);
        });
        for (int c = 0; c < chunks; c++) (part[0], part[2]) = (part[0] + partial[2 * c], part[2] + partial[2 * c + 1]);
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
            for (int j = (int)((long)quarter * c / chunks), end = (int)((long)quarter * (c + 1) / chunks); j < end; j++)
            {
                GoldilocksExt2 a0, a1;
                if (source is not null)
                {
                    Goldilocks x0 = source[j], x1 = source[j + quarter];
                    a0 = r * (source[j + half] - x0) + new GoldilocksExt2(x0, Goldilocks.Zero);
                    a1 = r * (source[j + quarter + half] - x1) + new GoldilocksExt2(x1, Goldilocks.Zero);
                }
                else
                {
                    GoldilocksExt2 y0 = f[j], y1 = f[j + quarter];
                    a0 = y0 + r * (f[j + half] - y0);
                    a1 = y1 + r * (f[j + quarter + half] - y1);
                }
                GoldilocksExt2 m0 = lambda[j], m1 = lambda[j + quarter];
                GoldilocksExt2 l0 = m0 + r * (lambda[j + half] - m0), l1 = m1 + r * (lambda[j + quarter + half] - m1);
                (f[j], f[j + quarter], lambda[j], lambda[j + quarter]) = (a0, a1, l0, l1);
                s0 += a0 * l0;
                s2 += (a1 + a1 - a0) * (l1 + l1 - l0);
            }
            (partial[2 * c], partial[2 * c + 1]) = (s0, s2);
        });
        sums.Clear();
        for (int c = 0; c < chunks; c++) (sums[0], sums[1]) = (sums[0] + partial[2 * c], sums[1] + partial[2 * c + 1]);
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
