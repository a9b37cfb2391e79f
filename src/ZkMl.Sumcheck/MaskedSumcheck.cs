using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The sumcheck for S = sum_x prod_j f_j(x) with its round polynomials masked (Libra, Xie et al. 2019): the prover
/// commits a random <see cref="SumcheckMask"/> g (degree k in each variable) and sends G = sum_x g(x); after a
/// challenge rho the sumcheck runs on prod_j f_j + rho g with claim S + rho G. Round i's polynomial then carries
/// 2^(n-1-i) rho g_i(X), whose k fresh random coefficients make it uniform among the polynomials consistent with the
/// running claim, so the rounds reveal nothing beyond S. At the end the prover states f_j(r) and g(r); a plain
/// two-factor sumcheck reduces g(r) = &lt;coefficients, powers of r&gt; to the coefficient table at a point.
/// <para>Scope: this hides the round messages. The final values f_j(r), g(r) and the mask table's value are claims
/// for the caller's commitments and are not masked here (an unmasked f_j(r) is one linear function of the witness);
/// hiding them needs the committed f_j themselves masked (Libra's x_i (1 - x_i) terms, or a commitment that proves
/// an evaluation without revealing it).</para>
/// <para>Soundness: as <see cref="ProductSumcheck"/> (k / p^2 per round), plus the choice of rho after g is committed
/// (a false S survives only if rho hits one value: 1 / p^2), plus the mask's two-factor sumcheck.</para>
/// </summary>
public static class MaskedSumcheck
{
    /// <summary>
    /// Proves the sum of the product of base-field tables (same power-of-two length) with <paramref name="mask"/>,
    /// whose coefficient table the caller has committed and absorbed.
    /// </summary>
    public static MaskedSumcheckProverResult Prove(Transcript transcript, SumcheckMask mask, params ReadOnlySpan<Goldilocks[]> factors)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(mask);
        if (factors.Length < 1 || factors.Length > SumcheckProof.MaxDegree) throw new ArgumentException($"1..{SumcheckProof.MaxDegree} factors.", nameof(factors));
        foreach (var f in factors) ArgumentNullException.ThrowIfNull(f);
        int n = Multilinear.VariableCount(factors[0].Length), k = factors.Length;
        foreach (var f in factors)
            if (f.Length != factors[0].Length) throw new ArgumentException("Factors of different lengths.", nameof(factors));
        if (mask.Variables != n || mask.Degree != k) throw new ArgumentException("The mask's shape differs from the sumcheck's.", nameof(mask));

        var tables = new GoldilocksExt2[k][];
        for (int j = 0; j < k; j++) tables[j] = [.. factors[j].Select(v => (GoldilocksExt2)v)];
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int x = 0; x < factors[0].Length; x++)
        {
            GoldilocksExt2 product = GoldilocksExt2.One;
            for (int j = 0; j < k; j++) product *= tables[j][x];
            claim += product;
        }
        Goldilocks maskSum = mask.Sum();
        GoldilocksExt2 rho = Begin(transcript, n, k, claim, maskSum);

        var messages = new GoldilocksExt2[n * k];
        var point = new GoldilocksExt2[n];
        Span<GoldilocksExt2> sums = stackalloc GoldilocksExt2[k + 1];
        GoldilocksExt2 prefix = mask.Coefficients[0];
        for (int round = 0, length = factors[0].Length; round < n; round++, length /= 2)
        {
            RoundKernel.Evaluate(tables, length / 2, withOne: false, sums);
            var message = messages.AsSpan(round * k, k);
            for (int slot = 0; slot < k; slot++)
            {
                int t = slot == 0 ? 0 : slot + 1;
                message[slot] = sums[t] + rho * MaskRound(mask, round, prefix, t);
            }
            transcript.Absorb("zksumcheck.round", message);
            point[round] = transcript.ChallengeExt("zksumcheck.challenge");
            prefix += mask.Univariate(round, point[round]);
            foreach (var table in tables) Multilinear.FixFirstVariableInPlace(table.AsSpan(0, length), point[round]);
        }
        var finals = new GoldilocksExt2[k];
        for (int j = 0; j < k; j++) finals[j] = tables[j][0];
        GoldilocksExt2 maskValue = mask.Evaluate(point);
        transcript.Absorb("zksumcheck.final", [.. finals, maskValue]);

        var coefficients = mask.Coefficients.ToArray().Select(v => (GoldilocksExt2)v).ToArray();
        var inner = ProductSumcheck.ProveInPlace(transcript, coefficients, SumcheckMask.PowerTable(k, point));
        var proof = new MaskedSumcheckProof(n, k, maskSum, messages, finals, maskValue, inner.Proof);
        return new MaskedSumcheckProverResult(proof, claim,
            new MaskedSumcheckReduction(point, finals, inner.Reduction.Point.ToArray(), inner.Reduction.Evaluations[0]));
    }

    /// <summary>
    /// Verifies that the product of <paramref name="degree"/> multilinears in <paramref name="variables"/> variables sums
    /// to <paramref name="claim"/>; the reduction's values must still be checked against the commitments.
    /// </summary>
    public static bool Verify(Transcript transcript, int variables, int degree, GoldilocksExt2 claim, MaskedSumcheckProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MaskedSumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(proof);
        reduction = null;
        if (proof.Variables != variables || proof.Degree != degree) return false;
        GoldilocksExt2 rho = Begin(transcript, variables, degree, claim, proof.MaskSum);
        GoldilocksExt2 running = claim + rho * proof.MaskSum;
        var point = new GoldilocksExt2[variables];
        running = RoundPolynomial.Replay(transcript, proof.RoundMessages, degree, running, "zksumcheck.round", "zksumcheck.challenge", point);
        transcript.Absorb("zksumcheck.final", [.. proof.FinalEvaluations, proof.MaskValue]);
        GoldilocksExt2 product = GoldilocksExt2.One;
        foreach (GoldilocksExt2 v in proof.FinalEvaluations) product *= v;
        if (product + rho * proof.MaskValue != running) return false;

        var powers = SumcheckMask.PowerTable(degree, point);
        int maskVariables = Multilinear.VariableCount(powers.Length);
        if (!ProductSumcheck.Verify(transcript, maskVariables, 2, proof.MaskValue, proof.MaskProof, out var inner)) return false;
        if (inner.Evaluations[1] != Multilinear.Evaluate(powers, inner.Point)) return false;
        reduction = new MaskedSumcheckReduction(point, proof.FinalEvaluations.ToArray(), inner.Point.ToArray(), inner.Evaluations[0]);
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, int, int, GoldilocksExt2, MaskedSumcheckProof, out MaskedSumcheckReduction)"/> for proof bytes.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, int variables, int degree, GoldilocksExt2 claim, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MaskedSumcheckReduction? reduction) =>
        Verify(transcript, variables, degree, claim, MaskedSumcheckProof.FromBytes(proof), out reduction);

    private static GoldilocksExt2 Begin(Transcript transcript, int variables, int degree, GoldilocksExt2 claim, Goldilocks maskSum)
    {
        transcript.Absorb("zksumcheck.shape", ((ulong)(uint)variables << 32) | (uint)degree);
        transcript.Absorb("zksumcheck.claim", [claim]);
        transcript.Absorb("zksumcheck.masksum", [maskSum]);
        return transcript.ChallengeExt("zksumcheck.rho");
    }

    /// <summary>
    /// Round <paramref name="round"/>'s mask polynomial at t: the sum over the free variables after it of g with the
    /// earlier ones fixed, 2^(n-1-i) (prefix + g_i(t)) + 2^(n-2-i) sum_{j &gt; i} g_j(1), prefix = a_0 + sum_{j &lt; i} g_j(r_j).
    /// </summary>
    private static GoldilocksExt2 MaskRound(SumcheckMask mask, int round, GoldilocksExt2 prefix, int t)
    {
        int free = mask.Variables - 1 - round;
        GoldilocksExt2 value = (prefix + mask.Univariate(round, GoldilocksExt2.FromUInt64((ulong)t))) * Goldilocks.FromUInt64(1UL << free);
        if (free == 0) return value;
        GoldilocksExt2 later = GoldilocksExt2.Zero;
        for (int j = round + 1; j < mask.Variables; j++) later += mask.Univariate(j, GoldilocksExt2.One);
        return value + later * Goldilocks.FromUInt64(1UL << (free - 1));
    }
}
