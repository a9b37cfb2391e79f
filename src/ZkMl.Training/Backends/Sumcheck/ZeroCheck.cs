using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// One block of the zero-knowledge step (format "ZKST" v4) as ONE masked zero-check (docs/sumcheck-step.md, "Zero
/// knowledge", item 2): at a random output point p and verifier weights gamma_1.., the <see cref="ZkSumcheck"/> proves
/// c sum_k A'(p_r, k) W'(k, p_c) + sum_i gamma_i sum_x eq(p, x) (sum_t a_t prod f'(x)) = -sum_i gamma_i e_i (gamma_0 = 1;
/// the product only in identity 0), i.e. every identity i "sum_t a_t prod f + e_i = 0" holds on the output hypercube
/// (except with n / p^2). Nothing is claimed at p: the only claim is the public constant, and every private factor is
/// masked by its own scalar f' = f~ + x_v (1 - x_v) c (c in the step's mask region), so each final value is a uniform
/// linear functional of the commitments (<see cref="ZkLinearClaim"/>). Every factor is lifted to the sumcheck's n
/// variables by zero padding in the leading variables (the side with fewer variables, or a one-entry inner side), so a
/// final is sel(r_lead) f~(r_tail) + r_v (1 - r_v) c. Both the prover and the verifier build this description from the
/// shapes; <see cref="StepProver"/> and <see cref="StepVerifier"/> run it.
/// </summary>
internal sealed class ZeroCheck
{
    /// <summary>An output-side factor: an oracle (or a public table both sides build) over <see cref="Variables"/>, repeated over the output's leading variables when <see cref="Repeat"/>.</summary>
    internal sealed record Factor(StepOracle Oracle, int Variables, bool Repeat = false, Goldilocks[]? Public = null)
    {
        /// <summary>Whether the verifier knows the factor (no mask, no claim).</summary>
        internal bool IsPlain => Public is not null || Oracle.Kind == StepOracle.Kinds.Known;
    }

    /// <summary>a prod_{i in Outputs} f_i, times eq(p, x).</summary>
    internal sealed record Term(GoldilocksExt2 Coefficient, int[] Outputs);

    /// <summary>sum_t Terms + Constant = 0 on the output hypercube.</summary>
    internal sealed record Identity(Term[] Terms, GoldilocksExt2 Constant);

    /// <summary>The bilinear part c sum_k A(p_r, k) W(k, p_c) of identity 0 (A, W in the shape's stored layouts).</summary>
    internal sealed record Bilinear(RescaledProductShape Shape, StepOracle A, StepOracle W);

    private readonly bool[] _masked;
    private readonly int[] _maskedFactors;

    internal ZeroCheck(string tag, int outputVariables, Bilinear? product, Factor[] outputs, Identity[] identities)
    {
        if (identities.Length < 1) throw new ArgumentException("At least one identity.", nameof(identities));
        (Tag, OutputVariables, Product, Outputs, Identities) = (tag, outputVariables, product, outputs, identities);
        foreach (var f in outputs)
            if (f.Variables > outputVariables || (f.Variables < outputVariables && !f.Repeat)) throw new ArgumentException("An output factor is over the output.", nameof(outputs));
        InnerVariables = product?.Shape.InnerVariables ?? 0;
        Variables = Math.Max(1, Math.Max(outputVariables, product is null ? 0 : Math.Max(1, InnerVariables)));
        EqIndex = product is null ? 0 : 2;
        int k = EqIndex + 1 + outputs.Length;
        _masked = new bool[k];
        if (product is not null)
        {
            _masked[0] = product.A.Kind != StepOracle.Kinds.Known;
            _masked[1] = product.W.Kind != StepOracle.Kinds.Known;
        }
        for (int i = 0; i < outputs.Length; i++) _masked[EqIndex + 1 + i] = !outputs[i].IsPlain;
        _maskedFactors = [.. Enumerable.Range(0, k).Where(j => _masked[j])];
        int degree = product is null ? 1 : 2, maskedPerTerm = product is null ? 0 : _maskedFactors.Count(j => j < 2);
        foreach (var id in identities)
            foreach (var t in id.Terms)
            {
                degree = Math.Max(degree, 1 + t.Outputs.Length);
                maskedPerTerm = Math.Max(maskedPerTerm, t.Outputs.Count(i => _masked[EqIndex + 1 + i]));
            }
        Shape = new ZkSumcheckShape(Variables, k, _maskedFactors.Length, Variables - 1, degree, Math.Max(1, maskedPerTerm));
        Shape.Validate();
    }

    /// <summary>The block's name (absorbed).</summary>
    internal string Tag { get; }
    /// <summary>Variables of the output (of p).</summary>
    internal int OutputVariables { get; }
    /// <summary>The bilinear part, if any.</summary>
    internal Bilinear? Product { get; }
    /// <summary>The output-side factors.</summary>
    internal Factor[] Outputs { get; }
    /// <summary>The identities (identity 0 weighted 1, the others by fresh gammas).</summary>
    internal Identity[] Identities { get; }
    /// <summary>Inner variables of the product (0 without one).</summary>
    internal int InnerVariables { get; }
    /// <summary>The sumcheck's variables.</summary>
    internal int Variables { get; }
    /// <summary>Index of the eq factor (after A', W').</summary>
    internal int EqIndex { get; }
    /// <summary>The sumcheck's shape (mask variable the last).</summary>
    internal ZkSumcheckShape Shape { get; }
    /// <summary>The masked factors' indices, in order (scalar j of the block masks factor MaskedFactors[j]).</summary>
    internal IReadOnlyList<int> MaskedFactors => _maskedFactors;

    /// <summary>Whether factor j is masked.</summary>
    internal bool IsMasked(int j) => _masked[j];

    /// <summary>The sumcheck's terms for the drawn gammas.</summary>
    internal ZkSumcheckTerm[] Terms(ReadOnlySpan<GoldilocksExt2> gammas)
    {
        var terms = new List<ZkSumcheckTerm>();
        if (Product is not null) terms.Add(new ZkSumcheckTerm(Goldilocks.FromUInt64((ulong)Product.Shape.Multiplier), [0, 1]));
        for (int i = 0; i < Identities.Length; i++)
        {
            GoldilocksExt2 g = i == 0 ? GoldilocksExt2.One : gammas[i - 1];
            foreach (var t in Identities[i].Terms) terms.Add(new ZkSumcheckTerm(g * t.Coefficient, [EqIndex, .. t.Outputs.Select(o => EqIndex + 1 + o)]));
        }
        return [.. terms];
    }

    /// <summary>The sumcheck's claim: -sum_i gamma_i e_i.</summary>
    internal GoldilocksExt2 Claim(ReadOnlySpan<GoldilocksExt2> gammas)
    {
        GoldilocksExt2 sum = -Identities[0].Constant;
        for (int i = 1; i < Identities.Length; i++) sum -= gammas[i - 1] * Identities[i].Constant;
        return sum;
    }

    /// <summary>The stored point and coefficient of factor j's final: final = coefficient * oracle~(point) (+ r_v (1 - r_v) c when masked).</summary>
    internal (GoldilocksExt2[] Point, GoldilocksExt2 Coefficient) Final(int j, ReadOnlySpan<GoldilocksExt2> r, ReadOnlySpan<GoldilocksExt2> p)
    {
        int n = Variables;
        if (Product is not null && j < 2)
        {
            var s = Product.Shape;
            var rk = r[(n - InnerVariables)..].ToArray();
            var side = j == 0 ? p[..s.RowVariables].ToArray() : p[s.RowVariables..].ToArray();
            bool transpose = j == 0 ? s.TransposeA : s.TransposeW;
            return (transpose ? [.. rk, .. side] : [.. side, .. rk], Lead(r, n - InnerVariables));
        }
        if (j == EqIndex) throw new ArgumentException("eq has no stored point.", nameof(j));
        var f = Outputs[j - EqIndex - 1];
        return (r[(n - f.Variables)..].ToArray(), Lead(r, n - OutputVariables));
    }

    /// <summary>eq's final: sel(r_lead) eq(p, r_tail).</summary>
    internal GoldilocksExt2 EqFinal(ReadOnlySpan<GoldilocksExt2> r, ReadOnlySpan<GoldilocksExt2> p) =>
        Lead(r, Variables - OutputVariables) * Multilinear.Eq(p, r[(Variables - OutputVariables)..]);

    /// <summary>The oracle of factor j (not eq).</summary>
    internal StepOracle Oracle(int j) => Product is not null && j < 2 ? (j == 0 ? Product.A : Product.W) : Outputs[j - EqIndex - 1].Oracle;

    /// <summary>prod_{i &lt; count} (1 - r_i): the zero-padding selector of the leading variables.</summary>
    internal static GoldilocksExt2 Lead(ReadOnlySpan<GoldilocksExt2> r, int count)
    {
        GoldilocksExt2 s = GoldilocksExt2.One;
        for (int i = 0; i < count; i++) s *= GoldilocksExt2.One - r[i];
        return s;
    }

    /// <summary>A table zero-padded in the leading variables to n (and first repeated up to the output when <paramref name="repeatTo"/> is larger).</summary>
    internal static GoldilocksExt2[] Lift(GoldilocksExt2[] table, int repeatTo, int n)
    {
        if (table.Length == 1 << n) return table;
        var lifted = new GoldilocksExt2[1 << n];
        for (int at = 0; at < 1 << repeatTo || at == 0; at += table.Length) table.CopyTo(lifted, at);
        return lifted;
    }

    private static GoldilocksExt2 C(long value) => Goldilocks.FromInt64(value);

    /// <summary>The identities that limbs (outputs <paramref name="limbs"/>) recompose value + offset in [0, 2^bits) (<see cref="RangeLimbs"/>), value = sum of <paramref name="value"/>'s terms.</summary>
    internal static IEnumerable<Identity> Recomposition(Term[] value, long offset, int[] limbs, int bits)
    {
        int t = (bits + RangeLimbs.LimbBits - 1) / RangeLimbs.LimbBits;
        var terms = new List<Term>(value);
        for (int i = 0; i < t; i++) terms.Add(new Term(-(GoldilocksExt2)Goldilocks.FromUInt64(1UL << (RangeLimbs.LimbBits * i)), [limbs[i]]));
        yield return new Identity([.. terms], C(offset));
        if (bits % RangeLimbs.LimbBits != 0)
            yield return new Identity([new Term(C(1), [limbs[t]]), new Term(C(-1), [limbs[t - 1]])],
                -(GoldilocksExt2)Goldilocks.FromUInt64((1UL << RangeLimbs.LimbBits) - (1UL << (bits - RangeLimbs.LimbBits * (t - 1)))));
    }

    /// <summary>
    /// Z = Rescale_k(c A W^T): 2^k Z + R - 2^(k-1) = c A W^T, R's and (Z + 2^(B-1))'s limbs; with <paramref name="ranged"/>
    /// the quotient limbs are that table's (the backward product ranges D = S o Q, not Q: the reference bounds Rescale_f(g)
    /// only where the ReLU mask is 1).
    /// </summary>
    internal static ZeroCheck RescaledProduct(RescaledProductShape shape, StepOracle a, StepOracle w, StepOracle z, StepOracle r, StepOracle[] l,
        StepOracle? ranged = null)
    {
        int n = shape.OutputVariables, rLimbs = RangeLimbs.Count(shape.Shift);
        var outputs = new List<Factor> { new(z, n), new(r, n) };
        outputs.AddRange(l.Select(o => new Factor(o, n)));
        if (ranged is { } y) outputs.Add(new Factor(y, n));
        int quotient = ranged.HasValue ? outputs.Count - 1 : 0;
        var ids = new List<Identity> { new([new Term(-(GoldilocksExt2)Goldilocks.FromUInt64(1UL << shape.Shift), [0]), new Term(C(-1), [1])], Goldilocks.FromUInt64(1UL << (shape.Shift - 1))) };
        ids.AddRange(Recomposition([new Term(C(1), [1])], 0, [.. Enumerable.Range(2, rLimbs)], shape.Shift));
        ids.AddRange(Recomposition([new Term(C(1), [quotient])], 1L << (shape.ValueBits - 1), [.. Enumerable.Range(2 + rLimbs, l.Length - rLimbs)], shape.ValueBits));
        return new ZeroCheck("rescale", n, new Bilinear(shape, a, w), [.. outputs], [.. ids]);
    }

    /// <summary>S boolean, H = S Z, U = 2H - Z - S in [0, 2^B) by its limbs.</summary>
    internal static ZeroCheck Relu(int valueBits, int n, StepOracle z, StepOracle s, StepOracle h, StepOracle[] l)
    {
        var outputs = new List<Factor> { new(z, n), new(s, n), new(h, n) };
        outputs.AddRange(l.Select(o => new Factor(o, n)));
        var ids = new List<Identity>
        {
            new([new Term(C(1), [1, 1]), new Term(C(-1), [1])], GoldilocksExt2.Zero),
            new([new Term(C(1), [1, 0]), new Term(C(-1), [2])], GoldilocksExt2.Zero),
        };
        ids.AddRange(Recomposition([new Term(C(2), [2]), new Term(C(-1), [0]), new Term(C(-1), [1])], 0, [.. Enumerable.Range(3, l.Length)], valueBits));
        return new ZeroCheck("relu", n, null, [.. outputs], [.. ids]);
    }

    /// <summary>D = S o Q.</summary>
    internal static ZeroCheck Hadamard(int n, StepOracle s, StepOracle q, StepOracle d) =>
        new("hadamard", n, null, [new(s, n), new(q, n), new(d, n)], [new([new Term(C(1), [0, 1]), new Term(C(-1), [2])], GoldilocksExt2.Zero)]);

    /// <summary>Y = X1 - X2, and Y + 2^(B-1) in [0, 2^B) by its limbs when B &gt; 0.</summary>
    internal static ZeroCheck Difference(int valueBits, int n, StepOracle x1, StepOracle x2, StepOracle y, StepOracle[] l)
    {
        var outputs = new List<Factor> { new(x1, n), new(x2, n), new(y, n) };
        outputs.AddRange(l.Select(o => new Factor(o, n)));
        var ids = new List<Identity> { new([new Term(C(1), [2]), new Term(C(-1), [0]), new Term(C(1), [1])], GoldilocksExt2.Zero) };
        if (valueBits > 0) ids.AddRange(Recomposition([new Term(C(1), [2])], 1L << (valueBits - 1), [.. Enumerable.Range(3, l.Length)], valueBits));
        return new ZeroCheck("difference", n, null, [.. outputs], [.. ids]);
    }

    /// <summary>
    /// A private batch table [rows x columns] (padded to 2^rowVariables x 2^columnVariables) is zero outside its first
    /// <paramref name="realRows"/> rows and <paramref name="realColumns"/> columns: M X = 0 with M the padding's indicator,
    /// a public table. The sponge hashes only the real entries, and the blocks need the padding zero.
    /// </summary>
    internal static ZeroCheck Padding(int realRows, int realColumns, int rowVariables, int columnVariables, StepOracle table)
    {
        int n = rowVariables + columnVariables;
        var m = new Goldilocks[1 << n];
        for (int row = 0; row < 1 << rowVariables; row++)
            for (int column = 0; column < 1 << columnVariables; column++)
                if (row >= realRows || column >= realColumns) m[(row << columnVariables) | column] = Goldilocks.One;
        return new ZeroCheck("padding", n, null, [new(table, n), new(default, n, Public: m)], [new([new Term(C(1), [0, 1])], GoldilocksExt2.Zero)]);
    }

    /// <summary>
    /// The packed inputs' offset (docs/sumcheck-step.md, "Zero-knowledge membership", "The input range in a lookup of its
    /// own"): X+ = X + 2^f M (M the real entries' indicator, a public table). That X+ is in [0, 2^(f+2)), which makes
    /// packing X+ with radix 2^(f+2) injective, is the step's input lookup (<see cref="StepProver"/>), not a limb check.
    /// </summary>
    internal static ZeroCheck InputOffset(int fractionBits, int realRows, int realColumns, int rowVariables, int columnVariables, StepOracle x, StepOracle offset)
    {
        int n = rowVariables + columnVariables;
        var m = new Goldilocks[1 << n];
        for (int row = 0; row < Math.Min(realRows, 1 << rowVariables); row++) m.AsSpan(row << columnVariables, Math.Min(realColumns, 1 << columnVariables)).Fill(Goldilocks.One);
        Factor[] outputs = [new(x, n), new(offset, n), new(default, n, Public: m)];
        Identity[] ids = [new([new Term(C(1), [0]), new Term(Goldilocks.FromUInt64(1UL << fractionBits), [2]), new Term(C(-1), [1])], GoldilocksExt2.Zero)];
        return new ZeroCheck("input offset", n, null, outputs, ids);
    }

    /// <summary>Y = X + u b^T (u the real rows' indicator, a public table), Y + 2^(B-1) in [0, 2^B) by its limbs.</summary>
    internal static ZeroCheck BiasAddition(int valueBits, int realRows, int rowVariables, int columnVariables, StepOracle x, StepOracle b, StepOracle y, StepOracle[] l)
    {
        int n = rowVariables + columnVariables;
        var u = new Goldilocks[1 << n];
        u.AsSpan(0, Math.Min(realRows, 1 << rowVariables) << columnVariables).Fill(Goldilocks.One);
        var outputs = new List<Factor> { new(x, n), new(b, columnVariables, Repeat: true), new(y, n), new(default, n, Public: u) };
        outputs.AddRange(l.Select(o => new Factor(o, n)));
        var ids = new List<Identity> { new([new Term(C(1), [2]), new Term(C(-1), [0]), new Term(C(-1), [3, 1])], GoldilocksExt2.Zero) };
        ids.AddRange(Recomposition([new Term(C(1), [2])], 1L << (valueBits - 1), [.. Enumerable.Range(4, l.Length)], valueBits));
        return new ZeroCheck("bias", n, null, [.. outputs], [.. ids]);
    }
}
