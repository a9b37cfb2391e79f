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

    /// <summary>&lt;F, l&gt; for a table F (the honest value; every term on table 0).</summary>
    public GoldilocksExt2 Apply(ReadOnlySpan<Goldilocks> table)
    {
        if (_terms.Any(t => t.Table != 0)) throw new ArgumentException("A term reads another table.", nameof(table));
        if (!Fits([Multilinear.VariableCount(table.Length)])) throw new ArgumentException("A term lies outside the table.", nameof(table));
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        foreach (var term in _terms) sum += term.Apply(table);
        return sum;
    }

    /// <summary>The sum over the terms of &lt;F_(term's table), term&gt; (the honest value over several tables).</summary>
    public GoldilocksExt2 Apply(IReadOnlyList<Goldilocks[]> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (!Fits([.. tables.Select(t => Multilinear.VariableCount(t.Length))])) throw new ArgumentException("A term lies outside its table.", nameof(tables));
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        foreach (var term in _terms) sum += term.Apply(tables[term.Table]);
        return sum;
    }

    /// <summary>Whether every term reads one of the tables, of <paramref name="variables"/>[i] variables each, inside it.</summary>
    public bool Fits(IReadOnlyList<int> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return _terms.All(t => t.Table < variables.Count && t.Fits(variables[t.Table]));
    }

    /// <summary>The multilinear extension of the functional's part on table <paramref name="table"/> at <paramref name="point"/> (that table's variables).</summary>
    internal GoldilocksExt2 Evaluate(int table, ReadOnlySpan<GoldilocksExt2> point)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        foreach (var term in _terms)
            if (term.Table == table) sum += term.Evaluate(point);
        return sum;
    }

    internal void AddTo(int table, Span<GoldilocksExt2> destination, GoldilocksExt2 scale)
    {
        foreach (var term in _terms)
            if (term.Table == table) term.AddTo(destination, scale);
    }

    /// <summary>As <c>AddTo</c> restricted to the aligned block [from, from + length) (a parallel pass's share).</summary>
    internal void AddTo(int table, Span<GoldilocksExt2> destination, GoldilocksExt2 scale, long from, int length, GoldilocksExt2[] buffer)
    {
        foreach (var term in _terms)
            if (term.Table == table) term.AddTo(destination, scale, from, length, buffer);
    }

    internal void AbsorbInto(Transcript transcript)
    {
        transcript.Absorb("zklc.terms", (ulong)_terms.Length);
        foreach (var term in _terms) term.AbsorbInto(transcript);
    }
}
