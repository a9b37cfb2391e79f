using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A zero-knowledge sumcheck for S = sum over {0,1}^n of prod_j f_j(x) (k &lt;= 8 factors, the step's blocks use k = 3:
/// eq A B, eq S S, eq S Z) whose round polynomials and final claims reveal nothing beyond S (Libra, Xie et al. 2019;
/// Chiesa-Forbes-Spooner 2017):
/// <list type="bullet">
/// <item>the rounds run on F = prod_j f'_j + rho g', g' a random mask with d_i fresh coefficients in round i's variable
/// (<see cref="ZkSumcheckMaskSet"/>), G = sum g' sent first and rho drawn after it: every round polynomial is uniform
/// among those consistent with the running claim;</item>
/// <item>masked factors are f'_j = f~_j + x_v (1 - x_v) R~_j (<c>ZkSumcheckFactor.Masked</c>, R_j the evaluation
/// mask of a hiding Ligero slot), equal to f_j on the hypercube, so the final values f'_j(r) are uniform and are checked
/// with that slot's <c>LigeroPcs.OpenHiding</c> at r with mask variable v;</item>
/// <item>g'(r) is then determined by the last round and the f'_j(r), and is checked by the mask set's one opening.</item>
/// </list>
/// The transcript must have absorbed the mask set's commitment and every factor's commitment before
/// <c>Prove</c>. Soundness: sum_i d_i / p^2 for the rounds, 1 / p^2 for rho (a false S survives only if rho hits
/// one value), plus the openings of the factors and of the masks.
/// </summary>
public static class ZkSumcheck
{
    /// <summary>Proves the sum of the product of <paramref name="factors"/> with mask <paramref name="index"/> of <paramref name="masks"/>.</summary>
    public static ZkSumcheckProverResult Prove(Transcript transcript, ZkSumcheckMaskSet masks, int index, params ZkSumcheckFactor[] factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return Prove(transcript, masks, index, factors, [Product(factors.Length)]);
    }

    /// <summary>
    /// Proves the sum over {0,1}^n of sum_t c_t prod_{j in term t} f'_j (a sum of products over the factors, each term
    /// within the shape's degrees) with mask <paramref name="index"/> of <paramref name="masks"/>.
    /// </summary>
    public static ZkSumcheckProverResult Prove(Transcript transcript, ZkSumcheckMaskSet masks, int index, ZkSumcheckFactor[] factors, IReadOnlyList<ZkSumcheckTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, masks.Shapes.Count);
        return Prove(transcript, masks.Shapes[index], masks.Coefficients(index), factors, terms);
    }

    /// <summary>
    /// As <see cref="Prove(Transcript, ZkSumcheckMaskSet, int, ZkSumcheckFactor[], IReadOnlyList{ZkSumcheckTerm})"/> with
    /// a Libra mask the caller committed itself: <paramref name="maskCoefficients"/> (a_0, c_{0,1..d_0}, c_{1,1..}, ...;
    /// <see cref="ZkSumcheckShape.MaskCoefficients"/> uniform extension elements, used by this sumcheck only) stored in a
    /// hiding commitment absorbed before the call, e.g. as base-entry pairs of a stacked table, so that the mask's final
    /// value g(r) is the linear functional <see cref="ZkLinearTerm.MaskValue"/> of that table (revealing g(r) is
    /// harmless: the last round and the factors' finals determine it).
    /// </summary>
    public static ZkSumcheckProverResult Prove(Transcript transcript, ZkSumcheckShape shape, ReadOnlySpan<GoldilocksExt2> maskCoefficients, ZkSumcheckFactor[] factors,
        IReadOnlyList<ZkSumcheckTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(factors);
        shape.Validate();
        if (maskCoefficients.Length != shape.MaskCoefficients) throw new ArgumentException($"The mask has {shape.MaskCoefficients} coefficients.", nameof(maskCoefficients));
        return Prove(transcript, shape, maskCoefficients.ToArray(), factors, terms);
    }

    private static ZkSumcheckProverResult Prove(Transcript transcript, ZkSumcheckShape shape, GoldilocksExt2[] g, ZkSumcheckFactor[] factors, IReadOnlyList<ZkSumcheckTerm> terms)
    {
        int n = shape.Variables;
        if (factors.Length != shape.Factors || factors.Count(f => f?.IsMasked == true) != shape.MaskedFactors) throw new ArgumentException("The factors differ from the shape.", nameof(factors));
        foreach (var f in factors)
            if (f.Variables != n) throw new ArgumentException($"Factors have {n} variables.", nameof(factors));
        var termArray = CheckTerms(shape, factors.Select(f => f.IsMasked).ToArray(), terms);
        IZkSumcheckKernel kernel;
        // The tables' copies and combinations are the sumcheck's work too.
        using (SumcheckTelemetry.Telemetry.Phase("sumcheck.tables"))
            kernel = UseGenericKernel ? new GenericKernel(shape, factors, termArray)
                : (IZkSumcheckKernel?)ZkSumcheckTermKernel.TryCreate(shape, factors, termArray) ?? new GenericKernel(shape, factors, termArray);
        return Prove(transcript, shape, g, kernel, terms);
    }

    /// <summary>Tests only: run the generic kernel even where the term kernel applies (the two must give the same proof).</summary>
    [ThreadStatic]
    internal static bool UseGenericKernel;

    /// <summary>The generic prover's tables: every factor (and every mask wider than a scalar) as a full table, folded in place.</summary>
    private sealed class GenericKernel(ZkSumcheckShape shape, ZkSumcheckFactor[] factors, ZkSumcheckTerm[] terms) : IZkSumcheckKernel
    {
        private readonly GoldilocksExt2[][] _tables = factors.Select(f => f.Table.ToArray()).ToArray();
        // A one-entry mask (a scalar) stays one entry: it is the same constant at every point, no table to fold.
        private readonly GoldilocksExt2[]?[] _masks = factors.Select(f => f.Mask is null ? null : f.Mask.Length == 1 ? [f.Mask[0]] : Expand(f.Mask, shape.Variables)).ToArray();

        public bool[] Masked { get; } = factors.Select(f => f.IsMasked).ToArray();

        private GoldilocksExt2[]? _round0;

        // Round 0's pass with t = 1 included gives the claim (sums[0] + sums[1]: the mask weight t (1 - t) is 0 at t = 0, 1).
        public GoldilocksExt2 Claim()
        {
            int degree = shape.RoundDegree(0);
            _round0 = new GoldilocksExt2[degree + 1];
            ZkSumcheck.RoundValues(_tables, shape.MaskVariable == 0 ? _masks : null, terms, 1 << (shape.Variables - 1), degree, _round0, true);
            return _round0[0] + _round0[1];
        }

        public void RoundValues(int round, int degree, Span<GoldilocksExt2> sums)
        {
            if (round == 0 && _round0 is { } first)
            {
                first.CopyTo(sums);
                sums[1] = GoldilocksExt2.Zero;
                return;
            }
            ZkSumcheck.RoundValues(_tables, round == shape.MaskVariable ? _masks : null, terms, 1 << (shape.Variables - round - 1), degree, sums, false);
        }

        public void Fold(int round, GoldilocksExt2 r)
        {
            int length = 1 << (shape.Variables - round), v = shape.MaskVariable;
            for (int j = 0; j < _tables.Length; j++)
            {
                Multilinear.FixFirstVariableInPlace(_tables[j].AsSpan(0, length), r);
                if (_masks[j] is not { } mask || round > v) continue;
                if (mask.Length > 1) Multilinear.FixFirstVariableInPlace(mask.AsSpan(0, length), r);
                if (round < v) continue;
                // Past x_v the mask's weight is the constant r_v (1 - r_v): fold it into the factor.
                GoldilocksExt2 weight = r * (GoldilocksExt2.One - r);
                if (mask.Length == 1)
                {
                    GoldilocksExt2 shift = weight * mask[0];
                    for (int i = 0; i < length / 2; i++) _tables[j][i] += shift;
                }
                else
                    for (int i = 0; i < length / 2; i++) _tables[j][i] += weight * mask[i];
            }
        }

        public GoldilocksExt2[] Finals() => [.. _tables.Select(t => t[0])];
    }

    /// <summary>
    /// The private prover with the rounds computed by a dedicated <paramref name="kernel"/> (a known sum of products
    /// exploited structurally): the same transcript and proof as the generic prover over the same factors and terms.
    /// </summary>
    internal static ZkSumcheckProverResult Prove(Transcript transcript, ZkSumcheckShape shape, ReadOnlySpan<GoldilocksExt2> maskCoefficients, IZkSumcheckKernel kernel,
        IReadOnlyList<ZkSumcheckTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(kernel);
        shape.Validate();
        if (maskCoefficients.Length != shape.MaskCoefficients) throw new ArgumentException($"The mask has {shape.MaskCoefficients} coefficients.", nameof(maskCoefficients));
        if (kernel.Masked.Length != shape.Factors || kernel.Masked.Count(m => m) != shape.MaskedFactors) throw new ArgumentException("The factors differ from the shape.", nameof(kernel));
        var termArray = CheckTerms(shape, kernel.Masked, terms);
        var g = maskCoefficients.ToArray();
        using var phase = SumcheckTelemetry.Telemetry.Phase(kernel switch { ZkGkrStepKernel => "sumcheck.gkr", PoseidonSpongeKernel => "sumcheck.sponge", _ => "sumcheck" });
        GoldilocksExt2 claim = kernel.Claim();
        GoldilocksExt2 maskSum = MaskSum(shape, g);
        GoldilocksExt2 rho = Begin(transcript, shape, termArray, claim, maskSum);
        int n = shape.Variables;
        var messages = new GoldilocksExt2[shape.MessageCount];
        var point = new GoldilocksExt2[n];
        GoldilocksExt2 prefix = g[0];
        for (int round = 0, at = 0; round < n; round++)
        {
            int d = shape.RoundDegree(round);
            var sums = new GoldilocksExt2[d + 1];
            kernel.RoundValues(round, d, sums);
            var message = messages.AsSpan(at, d);
            for (int slot = 0; slot < d; slot++)
            {
                int t = slot == 0 ? 0 : slot + 1;
                message[slot] = sums[t] + rho * MaskRound(shape, g, round, prefix, t);
            }
            at += d;
            transcript.Absorb("zksc.round", message);
            GoldilocksExt2 r = point[round] = transcript.ChallengeExt("zksc.challenge");
            prefix += Univariate(shape, g, round, r);
            kernel.Fold(round, r);
        }
        var finals = kernel.Finals();
        transcript.Absorb("zksc.final", [.. finals, prefix]);
        var proof = new ZkSumcheckProof(n, maskSum, messages, finals, prefix);
        return new ZkSumcheckProverResult(proof, claim, new ZkSumcheckReduction(point, finals, prefix));
    }

    /// <summary>
    /// Verifies that the product of the factors of <paramref name="shape"/> sums to <paramref name="claim"/>; on success
    /// the reduction's factor values and mask value must still be checked against their openings.
    /// </summary>
    public static bool Verify(Transcript transcript, ZkSumcheckShape shape, GoldilocksExt2 claim, ZkSumcheckProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Verify(transcript, shape, [Product(shape.Factors)], claim, proof, out reduction);
    }

    /// <summary>As <see cref="Verify(Transcript, ZkSumcheckShape, GoldilocksExt2, ZkSumcheckProof, out ZkSumcheckReduction)"/> for a sum of products (<paramref name="terms"/> from the protocol, as the prover used them).</summary>
    public static bool Verify(Transcript transcript, ZkSumcheckShape shape, IReadOnlyList<ZkSumcheckTerm> terms, GoldilocksExt2 claim, ZkSumcheckProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(proof);
        shape.Validate();
        var termArray = CheckTerms(shape, null, terms);
        reduction = null;
        if (proof.Variables != shape.Variables || proof.RoundMessages.Length != shape.MessageCount || proof.FinalEvaluations.Length != shape.Factors) return false;
        GoldilocksExt2 rho = Begin(transcript, shape, termArray, claim, proof.MaskSum);
        GoldilocksExt2 running = claim + rho * proof.MaskSum;
        var point = new GoldilocksExt2[shape.Variables];
        for (int round = 0, at = 0; round < shape.Variables; round++)
        {
            int d = shape.RoundDegree(round);
            running = RoundPolynomial.Replay(transcript, proof.RoundMessages.Slice(at, d), d, running, "zksc.round", "zksc.challenge", point.AsSpan(round, 1));
            at += d;
        }
        transcript.Absorb("zksc.final", [.. proof.FinalEvaluations, proof.MaskValue]);
        if (Combine(termArray, proof.FinalEvaluations) + rho * proof.MaskValue != running) return false;
        reduction = new ZkSumcheckReduction(point, proof.FinalEvaluations.ToArray(), proof.MaskValue);
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, ZkSumcheckShape, GoldilocksExt2, ZkSumcheckProof, out ZkSumcheckReduction)"/> for proof bytes.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, ZkSumcheckShape shape, GoldilocksExt2 claim, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction) =>
        Verify(transcript, shape, claim, ZkSumcheckProof.FromBytes(proof), out reduction);

    private static ZkSumcheckTerm Product(int factors) => new(GoldilocksExt2.One, [.. Enumerable.Range(0, factors)]);

    /// <summary>
    /// Checks the terms against the shape (with the prover's masked flags when known; the verifier checks the plain degree
    /// bound, and a term whose degree in x_v exceeds the round's would make the honest prover's round fail to verify).
    /// </summary>
    private static ZkSumcheckTerm[] CheckTerms(ZkSumcheckShape shape, bool[]? masked, IReadOnlyList<ZkSumcheckTerm> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count < 1 || terms.Count > MaxTerms) throw new ArgumentException($"1..{MaxTerms} terms.", nameof(terms));
        foreach (var term in terms)
        {
            ArgumentNullException.ThrowIfNull(term);
            term.Validate(shape, masked ?? new bool[shape.Factors]);
        }
        return [.. terms];
    }

    /// <summary>Most terms of one sum of products.</summary>
    public const int MaxTerms = 64;

    /// <summary>sum_t c_t prod_{j in t} values[j].</summary>
    internal static GoldilocksExt2 Combine(ZkSumcheckTerm[] terms, ReadOnlySpan<GoldilocksExt2> values)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        foreach (var term in terms)
        {
            var factors = term.Factors;
            GoldilocksExt2 product = values[factors[0]];
            for (int a = 1; a < factors.Length; a++) product *= values[factors[a]];
            // Coefficients +-1 (most identities' own) cost an addition, not a product: the same value.
            GoldilocksExt2 c = term.Coefficient;
            if (c.IsOne) sum += product;
            else if (c.C1.IsZero && c.C0.Value == Goldilocks.P - 1) sum -= product;
            else sum += c * product;
        }
        return sum;
    }

    private static GoldilocksExt2 Begin(Transcript transcript, ZkSumcheckShape shape, ZkSumcheckTerm[] terms, GoldilocksExt2 claim, GoldilocksExt2 maskSum)
    {
        transcript.Absorb("zksc.shape", shape.Tag);
        foreach (var term in terms)
        {
            transcript.Absorb("zksc.term", [term.Coefficient]);
            transcript.Absorb("zksc.term-factors", [.. term.Factors.Select(j => (byte)j)]);
        }
        transcript.Absorb("zksc.claim", [claim]);
        transcript.Absorb("zksc.masksum", [maskSum]);
        return transcript.ChallengeExt("zksc.rho");
    }

    /// <summary>The mask R over the last variables repeated over the first ones: a table over all n variables.</summary>
    private static GoldilocksExt2[] Expand(GoldilocksExt2[] mask, int n)
    {
        var table = new GoldilocksExt2[1 << n];
        for (int x = 0; x < table.Length; x++) table[x] = mask[x & (mask.Length - 1)];
        return table;
    }

    /// <summary>
    /// sums[t] (t = 0, 2..d) = sum over the live half of sum_terms c prod_j f_j(t), each f_j(t) = F_j(t), plus
    /// t (1 - t) R_j(t) in round v (<paramref name="masks"/> given). One pass over the tables: every f_j(t) steps from
    /// f_j(0) by its difference, so the points t cost additions, not multiplications, and the tables are read once.
    /// </summary>
    private static void RoundValues(GoldilocksExt2[][] tables, GoldilocksExt2[]?[]? masks, ZkSumcheckTerm[] terms, int half, int degree, Span<GoldilocksExt2> sums, bool withOne)
    {
        int k = tables.Length;
        var weights = new GoldilocksExt2[degree + 1];
        for (int t = 0; t <= degree; t++)
        {
            GoldilocksExt2 x = GoldilocksExt2.FromUInt64((ulong)t);
            weights[t] = x * (GoldilocksExt2.One - x);
        }
        // Which factors carry a mask table (stepped like the factor) or a scalar (constant): decided once, not per entry.
        var kinds = new byte[k];
        if (masks is not null)
            for (int j = 0; j < k; j++) kinds[j] = masks[j] is not { } r ? (byte)0 : r.Length == 1 ? (byte)1 : (byte)2;
        // Several chunks per core: on a loaded machine one slow chunk does not hold the round.
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, half / Multilinear.ParallelThreshold));
        var partial = new GoldilocksExt2[chunks * (degree + 1)];
        Parallel.For(0, chunks, c =>
        {
            Span<GoldilocksExt2> value = stackalloc GoldilocksExt2[k], step = stackalloc GoldilocksExt2[k];
            Span<GoldilocksExt2> mask = stackalloc GoldilocksExt2[k], maskStep = stackalloc GoldilocksExt2[k], withMasks = stackalloc GoldilocksExt2[k];
            var local = partial.AsSpan(c * (degree + 1), degree + 1);
            for (int i = (int)((long)half * c / chunks), end = (int)((long)half * (c + 1) / chunks); i < end; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    var f = tables[j];
                    (value[j], step[j]) = (f[i], f[i + half] - f[i]);
                }
                if (masks is null)
                {
                    for (int t = 0; t <= degree; t++)
                    {
                        if (t > 0)
                            for (int j = 0; j < k; j++) value[j] += step[j];
                        if (t == 1 && !withOne) continue;
                        local[t] += Combine(terms, value);
                    }
                    continue;
                }
                for (int j = 0; j < k; j++)
                    if (kinds[j] == 1) (mask[j], maskStep[j]) = (masks[j]![0], GoldilocksExt2.Zero);
                    else if (kinds[j] == 2)
                    {
                        var r = masks[j]!;
                        (mask[j], maskStep[j]) = (r[i], r[i + half] - r[i]);
                    }
                for (int t = 0; t <= degree; t++)
                {
                    if (t > 0)
                        for (int j = 0; j < k; j++)
                        {
                            value[j] += step[j];
                            mask[j] += maskStep[j];
                        }
                    if (t == 1 && !withOne) continue;
                    for (int j = 0; j < k; j++) withMasks[j] = kinds[j] == 0 ? value[j] : value[j] + weights[t] * mask[j];
                    local[t] += Combine(terms, withMasks);
                }
            }
        });
        sums.Clear();
        for (int c = 0; c < chunks; c++)
            for (int t = 0; t <= degree; t++) sums[t] += partial[c * (degree + 1) + t];
    }

    /// <summary>G = sum over {0,1}^n of g' = 2^n a_0 + 2^(n-1) sum_i g_i(1).</summary>
    internal static GoldilocksExt2 MaskSum(ZkSumcheckShape shape, GoldilocksExt2[] g)
    {
        GoldilocksExt2 ones = GoldilocksExt2.Zero;
        for (int i = 0; i < shape.Variables; i++) ones += Univariate(shape, g, i, GoldilocksExt2.One);
        return g[0] * Goldilocks.FromUInt64(1UL << shape.Variables) + ones * Goldilocks.FromUInt64(1UL << (shape.Variables - 1));
    }

    /// <summary>g_i(t) = sum_{s=1..d_i} c_{i,s} t^s.</summary>
    internal static GoldilocksExt2 Univariate(ZkSumcheckShape shape, GoldilocksExt2[] g, int variable, GoldilocksExt2 t)
    {
        int at = shape.CoefficientOffset(variable);
        GoldilocksExt2 sum = GoldilocksExt2.Zero, power = GoldilocksExt2.One;
        for (int s = 0; s < shape.RoundDegree(variable); s++)
        {
            power *= t;
            sum += power * g[at + s];
        }
        return sum;
    }

    /// <summary>Round i's mask polynomial at t: 2^(n-1-i) (prefix + g_i(t)) + 2^(n-2-i) sum_{j &gt; i} g_j(1), prefix = a_0 + sum_{j &lt; i} g_j(r_j).</summary>
    internal static GoldilocksExt2 MaskRound(ZkSumcheckShape shape, GoldilocksExt2[] g, int round, GoldilocksExt2 prefix, int t)
    {
        int free = shape.Variables - 1 - round;
        GoldilocksExt2 value = (prefix + Univariate(shape, g, round, GoldilocksExt2.FromUInt64((ulong)t))) * Goldilocks.FromUInt64(1UL << free);
        if (free == 0) return value;
        GoldilocksExt2 later = GoldilocksExt2.Zero;
        for (int j = round + 1; j < shape.Variables; j++) later += Univariate(shape, g, j, GoldilocksExt2.One);
        return value + later * Goldilocks.FromUInt64(1UL << (free - 1));
    }
}
