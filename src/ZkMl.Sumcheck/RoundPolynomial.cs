using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>Evaluation of a polynomial of degree &lt;= d given by its values at 0, 1, ..., d (Lagrange form).</summary>
internal static class RoundPolynomial
{
    /// <summary>InverseDenominators[d][t] = 1 / prod_{s != t, s &lt;= d} (t - s).</summary>
    private static readonly Goldilocks[][] InverseDenominators = BuildDenominators();

    private static Goldilocks[][] BuildDenominators()
    {
        var table = new Goldilocks[SumcheckProof.MaxDegree + 1][];
        for (int d = 0; d <= SumcheckProof.MaxDegree; d++)
        {
            table[d] = new Goldilocks[d + 1];
            for (int t = 0; t <= d; t++)
            {
                Goldilocks denominator = Goldilocks.One;
                for (int s = 0; s <= d; s++)
                    if (s != t) denominator *= Goldilocks.FromInt64(t - s);
                table[d][t] = Goldilocks.Inverse(denominator);
            }
        }
        return table;
    }

    /// <summary>
    /// The verifier's side of sumcheck rounds: each round's message holds g(0), g(2), ..., g(d) (g(1) is the claim minus
    /// g(0)); it is absorbed under <paramref name="roundLabel"/>, the round's challenge drawn under
    /// <paramref name="challengeLabel"/> into <paramref name="point"/>, and the claim moves to g(challenge). Returns the
    /// final claim.
    /// </summary>
    public static GoldilocksExt2 Replay(Transcript transcript, ReadOnlySpan<GoldilocksExt2> messages, int degree, GoldilocksExt2 claim,
        string roundLabel, string challengeLabel, Span<GoldilocksExt2> point)
    {
        Span<GoldilocksExt2> values = stackalloc GoldilocksExt2[degree + 1];
        for (int round = 0; round < point.Length; round++)
        {
            var message = messages.Slice(round * degree, degree);
            transcript.Absorb(roundLabel, message);
            point[round] = transcript.ChallengeExt(challengeLabel);
            values[0] = message[0];
            values[1] = claim - message[0];
            message[1..].CopyTo(values[2..]);
            claim = Evaluate(values, point[round]);
        }
        return claim;
    }

    /// <summary>p(r) for the polynomial with p(t) = values[t], t = 0..d (d = values.Length - 1 &lt;= MaxDegree).</summary>
    public static GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> values, GoldilocksExt2 r)
    {
        int d = values.Length - 1;
        // L_t(r) = prod_{s != t} (r - s) / (t - s), from prefix and suffix products of (r - s); no division by r - t.
        Span<GoldilocksExt2> suffix = stackalloc GoldilocksExt2[d + 2];
        suffix[d + 1] = GoldilocksExt2.One;
        for (int s = d; s >= 0; s--) suffix[s] = suffix[s + 1] * (r - Goldilocks.FromUInt64((ulong)s));
        GoldilocksExt2 prefix = GoldilocksExt2.One, result = GoldilocksExt2.Zero;
        var inverse = InverseDenominators[d];
        for (int t = 0; t <= d; t++)
        {
            result += values[t] * (prefix * suffix[t + 1]) * inverse[t];
            prefix *= r - Goldilocks.FromUInt64((ulong)t);
        }
        return result;
    }
}
