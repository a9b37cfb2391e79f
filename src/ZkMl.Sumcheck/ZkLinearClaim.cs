using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A claim y = &lt;F, l&gt; for a public functional l = the sum of <see cref="Terms"/> on a committed table F: what a
/// masked final value becomes once its mask is committed data (f~(r) + r_v (1 - r_v) c with c stored in F is one eq
/// term and one dense term). <see cref="ZkLinearReduction"/> proves any number of them with one opening.
/// </summary>
public sealed class ZkLinearClaim
{
    private readonly ZkLinearTerm[] _terms;

    /// <summary>The functional with the given terms (1..<see cref="MaxTerms"/>).</summary>
    public ZkLinearClaim(params ZkLinearTerm[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Length < 1 || terms.Length > MaxTerms) throw new ArgumentException($"1..{MaxTerms} terms.", nameof(terms));
        foreach (var term in terms) ArgumentNullException.ThrowIfNull(term);
        _terms = [.. terms];
    }

    /// <summary>Most terms of one functional.</summary>
    public const int MaxTerms = 64;

    /// <summary>The functional's terms.</summary>
    public IReadOnlyList<ZkLinearTerm> Terms => _terms;

    /// <summary>&lt;F, l&gt; for a table F (the honest value).</summary>
    public GoldilocksExt2 Apply(ReadOnlySpan<Goldilocks> table)
    {
        int n = Multilinear.VariableCount(table.Length);
        if (!Fits(n)) throw new ArgumentException("A term lies outside the table.", nameof(table));
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        foreach (var term in _terms) sum += term.Apply(table);
        return sum;
    }

    /// <summary>Whether every term lies inside a table of <paramref name="variables"/> variables.</summary>
    public bool Fits(int variables) => _terms.All(t => t.Fits(variables));

    internal GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> point)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        foreach (var term in _terms) sum += term.Evaluate(point);
        return sum;
    }

    internal void AddTo(Span<GoldilocksExt2> destination, GoldilocksExt2 scale)
    {
        foreach (var term in _terms) term.AddTo(destination, scale);
    }

    internal void AbsorbInto(Transcript transcript)
    {
        transcript.Absorb("zklc.terms", (ulong)_terms.Length);
        foreach (var term in _terms) term.AbsorbInto(transcript);
    }
}
