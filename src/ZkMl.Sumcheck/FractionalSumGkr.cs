using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// GKR for a sum of fractions sum_x p(x) / q(x) over {0,1}^n (LogUp-GKR, Papini-Haböck). Layer n holds the leaves;
/// layer k - 1 pairs the two halves of layer k (first variable): p' = p(0,x) q(1,x) + p(1,x) q(0,x),
/// q' = q(0,x) q(1,x), so layer 0 is the sum as one fraction P / Q. Each layer's claim
/// (p~_{k-1}(rho), q~_{k-1}(rho)) is folded with a challenge lambda and reduced by a degree-3 sumcheck over k - 1
/// variables to the four child values at a point r, then a challenge mu gives claims on layer k at (mu, r).
/// The leaves' claims come out at a random point, for the caller to check against its p and q.
/// <para>Soundness: layer k's sumcheck errs with probability &lt;= 3 (k - 1) / p^2, the lambda and mu folds with
/// 2 / p^2 each; summed over n &lt;= 40 layers this is below 2^-114.</para>
/// </summary>
internal static class FractionalSumGkr
{
    /// <summary>Extension elements the proof of an n-layer tree carries: per layer k, 3 (k - 1) round values and 4 child values, plus the root.</summary>
    public static long MessageCount(int layers) => 2 + 4L * layers + 3L * layers * (layers - 1) / 2;

    /// <summary>Proves the tree over the leaves (tables of 2^n entries, n &gt;= 1; both are destroyed).</summary>
    public static FractionalSumClaim Prove(Transcript transcript, GoldilocksExt2[] p, GoldilocksExt2[] q, List<GoldilocksExt2> messages)
    {
        int n = Multilinear.VariableCount(p.Length);
        if (q.Length != p.Length || n < 1) throw new ArgumentException("Numerators and denominators of one length 2^n, n >= 1.");
        var layersP = new GoldilocksExt2[n + 1][];
        var layersQ = new GoldilocksExt2[n + 1][];
        (layersP[n], layersQ[n]) = (p, q);
        for (int k = n; k >= 1; k--)
        {
            int half = 1 << (k - 1);
            var (cp, cq) = (layersP[k], layersQ[k]);
            var (np, nq) = (new GoldilocksExt2[half], new GoldilocksExt2[half]);
            Common.ParallelChunks.For(half, Multilinear.ParallelThreshold, (from, to) =>
            {
                for (int i = from; i < to; i++)
                {
                    np[i] = cp[i] * cq[i + half] + cp[i + half] * cq[i];
                    nq[i] = cq[i] * cq[i + half];
                }
            });
            (layersP[k - 1], layersQ[k - 1]) = (np, nq);
        }
        GoldilocksExt2 rootP = layersP[0][0], rootQ = layersQ[0][0];
        messages.Add(rootP);
        messages.Add(rootQ);
        transcript.Absorb("gkr.root", [rootP, rootQ]);
        var point = Array.Empty<GoldilocksExt2>();
        GoldilocksExt2 claimP = rootP, claimQ = rootQ;
        Span<GoldilocksExt2> sums = stackalloc GoldilocksExt2[4];
        for (int k = 1; k <= n; k++)
        {
            int half = 1 << (k - 1);
            var (cp, cq) = (layersP[k], layersQ[k]);
            var p0 = cp[..half]; var p1 = cp[half..]; var q0 = cq[..half]; var q1 = cq[half..];
            var eq = Multilinear.EqTable(point);
            GoldilocksExt2 lambda = transcript.ChallengeExt("gkr.lambda");
            GoldilocksExt2 claim = claimP + lambda * claimQ;
            var r = new GoldilocksExt2[k - 1];
            for (int round = 0, length = half; round < k - 1; round++, length /= 2)
            {
                LayerRound(eq, p0, p1, q0, q1, lambda, length / 2, sums);
                Span<GoldilocksExt2> message = [sums[0], sums[2], sums[3]];
                foreach (var v in message) messages.Add(v);
                transcript.Absorb("gkr.round", message);
                r[round] = transcript.ChallengeExt("gkr.challenge");
                foreach (var table in (GoldilocksExt2[][])[eq, p0, p1, q0, q1]) Multilinear.FixFirstVariableInPlace(table.AsSpan(0, length), r[round]);
            }
            Span<GoldilocksExt2> children = [p0[0], p1[0], q0[0], q1[0]];
            foreach (var v in children) messages.Add(v);
            transcript.Absorb("gkr.children", children);
            GoldilocksExt2 mu = transcript.ChallengeExt("gkr.mu");
            claimP = children[0] + mu * (children[1] - children[0]);
            claimQ = children[2] + mu * (children[3] - children[2]);
            point = [mu, .. r];
        }
        return new FractionalSumClaim(rootP, rootQ, point, claimP, claimQ);
    }

    /// <summary>
    /// Replays an n-layer proof from <paramref name="messages"/> starting at <paramref name="cursor"/> (advanced past it).
    /// Null when a layer's sumcheck does not close.
    /// </summary>
    public static FractionalSumClaim? Verify(Transcript transcript, int n, ReadOnlySpan<GoldilocksExt2> messages, ref int cursor)
    {
        if (n < 1 || messages.Length - cursor < MessageCount(n)) return null;
        GoldilocksExt2 rootP = messages[cursor++], rootQ = messages[cursor++];
        transcript.Absorb("gkr.root", [rootP, rootQ]);
        var point = Array.Empty<GoldilocksExt2>();
        GoldilocksExt2 claimP = rootP, claimQ = rootQ;
        for (int k = 1; k <= n; k++)
        {
            GoldilocksExt2 lambda = transcript.ChallengeExt("gkr.lambda");
            GoldilocksExt2 claim = claimP + lambda * claimQ;
            var r = new GoldilocksExt2[k - 1];
            claim = RoundPolynomial.Replay(transcript, messages.Slice(cursor, 3 * (k - 1)), 3, claim, "gkr.round", "gkr.challenge", r);
            cursor += 3 * (k - 1);
            var children = messages.Slice(cursor, 4);
            cursor += 4;
            transcript.Absorb("gkr.children", children);
            GoldilocksExt2 expected = Multilinear.Eq(point, r) *
                (children[0] * children[3] + children[1] * children[2] + lambda * children[2] * children[3]);
            if (expected != claim) return null;
            GoldilocksExt2 mu = transcript.ChallengeExt("gkr.mu");
            claimP = children[0] + mu * (children[1] - children[0]);
            claimQ = children[2] + mu * (children[3] - children[2]);
            point = [mu, .. r];
        }
        return new FractionalSumClaim(rootP, rootQ, point, claimP, claimQ);
    }

    /// <summary>g(0), g(2), g(3) (g(1) is not needed) of sum_i eq (p0 q1 + p1 q0 + lambda q0 q1) over the live half, in parallel chunks when large.</summary>
    private static void LayerRound(GoldilocksExt2[] eq, GoldilocksExt2[] p0, GoldilocksExt2[] p1, GoldilocksExt2[] q0, GoldilocksExt2[] q1,
        GoldilocksExt2 lambda, int half, Span<GoldilocksExt2> sums)
    {
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, half / Multilinear.ParallelThreshold));
        var partial = new GoldilocksExt2[chunks * 3];
        if (chunks == 1) LayerChunk(eq, p0, p1, q0, q1, lambda, half, 0, half, partial);
        else Parallel.For(0, chunks, c => LayerChunk(eq, p0, p1, q0, q1, lambda, half,
            (int)((long)half * c / chunks), (int)((long)half * (c + 1) / chunks), partial.AsSpan(3 * c, 3)));
        sums.Clear();
        for (int c = 0; c < chunks; c++)
        {
            sums[0] += partial[3 * c];
            sums[2] += partial[3 * c + 1];
            sums[3] += partial[3 * c + 2];
        }
    }

    private static void LayerChunk(GoldilocksExt2[] eq, GoldilocksExt2[] p0, GoldilocksExt2[] p1, GoldilocksExt2[] q0, GoldilocksExt2[] q1,
        GoldilocksExt2 lambda, int half, int from, int to, Span<GoldilocksExt2> sums)
    {
        GoldilocksExt2 s0 = GoldilocksExt2.Zero, s2 = GoldilocksExt2.Zero, s3 = GoldilocksExt2.Zero;
        for (int i = from; i < to; i++)
        {
            int j = i + half;
            GoldilocksExt2 de = eq[j] - eq[i], dp0 = p0[j] - p0[i], dp1 = p1[j] - p1[i], dq0 = q0[j] - q0[i], dq1 = q1[j] - q1[i];
            GoldilocksExt2 e = eq[i], a = p0[i], b = p1[i], c = q0[i], d = q1[i];
            s0 += e * (a * d + b * c + lambda * c * d);
            // t = 2 and t = 3: step every table by its difference (lo + t (hi - lo)).
            e += de + de; a += dp0 + dp0; b += dp1 + dp1; c += dq0 + dq0; d += dq1 + dq1;
            s2 += e * (a * d + b * c + lambda * c * d);
            e += de; a += dp0; b += dp1; c += dq0; d += dq1;
            s3 += e * (a * d + b * c + lambda * c * d);
        }
        (sums[0], sums[1], sums[2]) = (s0, s2, s3);
    }
}
