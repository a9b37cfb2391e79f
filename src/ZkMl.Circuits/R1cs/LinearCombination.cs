using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>
/// A sparse linear combination <c>sum_i c_i * w[wire_i]</c> of wires. Terms are kept sorted by wire, with distinct
/// wires and non-zero coefficients; wire 0 is the constant one, so a constant c is the single term (0, c).
/// Immutable; arithmetic on linear combinations costs no constraints.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public readonly struct LinearCombination<T> : IEquatable<LinearCombination<T>> where T : struct, IPrimeField<T>
{
    private readonly Term<T>[]? _terms;

    private LinearCombination(Term<T>[] normalizedTerms) => _terms = normalizedTerms.Length == 0 ? null : normalizedTerms;

    /// <summary>The terms, sorted by wire, distinct wires, non-zero coefficients.</summary>
    public ReadOnlySpan<Term<T>> Terms => _terms;

    /// <summary>Number of terms.</summary>
    public int Count => _terms?.Length ?? 0;

    /// <summary>The empty combination (the constant 0).</summary>
    public static LinearCombination<T> Zero => default;

    /// <summary>The constant 1 (wire 0).</summary>
    public static LinearCombination<T> One => new([new Term<T>(0, T.One)]);

    /// <summary>The constant <paramref name="value"/>.</summary>
    public static LinearCombination<T> Constant(T value) => value.IsZero ? default : new([new Term<T>(0, value)]);

    /// <summary><paramref name="coefficient"/> times wire <paramref name="wire"/>.</summary>
    public static LinearCombination<T> FromWire(int wire, T coefficient)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wire);
        return coefficient.IsZero ? default : new([new Term<T>(wire, coefficient)]);
    }

    /// <summary>Wire <paramref name="wire"/> with coefficient 1.</summary>
    public static LinearCombination<T> FromWire(int wire) => FromWire(wire, T.One);

    /// <summary>Builds a combination from arbitrary terms: sorts them, adds coefficients of repeated wires, drops zeros.</summary>
    public static LinearCombination<T> FromTerms(IEnumerable<Term<T>> terms)
    {
        var list = terms.ToArray();
        foreach (var t in list) ArgumentOutOfRangeException.ThrowIfNegative(t.Wire);
        return new(Normalize(list));
    }

    /// <summary>Sums many combinations at once (linear in the total number of terms, unlike repeated +).</summary>
    public static LinearCombination<T> Sum(IEnumerable<LinearCombination<T>> items)
    {
        var all = new List<Term<T>>();
        foreach (var lc in items)
            if (lc._terms != null) all.AddRange(lc._terms);
        return new(Normalize(all.ToArray()));
    }

    internal static LinearCombination<T> FromNormalized(Term<T>[] terms) => new(terms);

    private static Term<T>[] Normalize(Term<T>[] terms)
    {
        if (terms.Length == 0) return terms;
        Array.Sort(terms, static (a, b) => a.Wire.CompareTo(b.Wire));
        var result = new List<Term<T>>(terms.Length);
        int i = 0;
        while (i < terms.Length)
        {
            var wire = terms[i].Wire;
            var c = terms[i].Coefficient;
            for (i++; i < terms.Length && terms[i].Wire == wire; i++) c += terms[i].Coefficient;
            if (!c.IsZero) result.Add(new Term<T>(wire, c));
        }
        return result.ToArray();
    }

    /// <summary>True when the combination involves no wire other than the constant one.</summary>
    public bool IsConstant => _terms == null || (_terms.Length == 1 && _terms[0].Wire == 0);

    /// <summary>The coefficient of the constant-one wire.</summary>
    public T ConstantTerm => _terms != null && _terms[0].Wire == 0 ? _terms[0].Coefficient : T.Zero;

    /// <summary>True when this is exactly one wire (other than 0) with coefficient 1.</summary>
    public bool IsSingleWire(out int wire)
    {
        if (_terms is { Length: 1 } && _terms[0].Wire != 0 && _terms[0].Coefficient.IsOne) { wire = _terms[0].Wire; return true; }
        wire = -1;
        return false;
    }

    /// <summary>The value of the combination under <paramref name="witness"/> (indexed by wire).</summary>
    public T Evaluate(ReadOnlySpan<T> witness)
    {
        var acc = T.Zero;
        if (_terms == null) return acc;
        foreach (var t in _terms)
            acc += t.Wire == 0 ? t.Coefficient : t.Coefficient * witness[t.Wire];
        return acc;
    }

    /// <summary>The largest wire index used, or -1 when empty.</summary>
    public int MaxWire => _terms == null ? -1 : _terms[^1].Wire;

    /// <summary>Sum of two combinations.</summary>
    public static LinearCombination<T> operator +(LinearCombination<T> a, LinearCombination<T> b) => Merge(a, b, negateB: false);

    /// <summary>Difference of two combinations.</summary>
    public static LinearCombination<T> operator -(LinearCombination<T> a, LinearCombination<T> b) => Merge(a, b, negateB: true);

    /// <summary>Negation.</summary>
    public static LinearCombination<T> operator -(LinearCombination<T> a) => a * (-T.One);

    /// <summary>Adds a constant.</summary>
    public static LinearCombination<T> operator +(LinearCombination<T> a, T c) => a + Constant(c);

    /// <summary>Subtracts a constant.</summary>
    public static LinearCombination<T> operator -(LinearCombination<T> a, T c) => a - Constant(c);

    /// <summary>Scales by a constant.</summary>
    public static LinearCombination<T> operator *(LinearCombination<T> a, T s)
    {
        if (a._terms == null || s.IsZero) return default;
        var r = new Term<T>[a._terms.Length];
        for (int i = 0; i < r.Length; i++) r[i] = new Term<T>(a._terms[i].Wire, a._terms[i].Coefficient * s);
        return new(r);
    }

    /// <summary>Scales by a constant.</summary>
    public static LinearCombination<T> operator *(T s, LinearCombination<T> a) => a * s;

    private static LinearCombination<T> Merge(LinearCombination<T> a, LinearCombination<T> b, bool negateB)
    {
        var x = a._terms ?? [];
        var y = b._terms ?? [];
        if (y.Length == 0) return a;
        if (x.Length == 0) return negateB ? -b : b;
        var r = new Term<T>[x.Length + y.Length];
        int i = 0, j = 0, n = 0;
        while (i < x.Length || j < y.Length)
        {
            if (j == y.Length || (i < x.Length && x[i].Wire < y[j].Wire)) r[n++] = x[i++];
            else
            {
                var cy = negateB ? -y[j].Coefficient : y[j].Coefficient;
                if (i == x.Length || y[j].Wire < x[i].Wire) { r[n++] = new Term<T>(y[j].Wire, cy); j++; }
                else
                {
                    var c = x[i].Coefficient + cy;
                    if (!c.IsZero) r[n++] = new Term<T>(x[i].Wire, c);
                    i++; j++;
                }
            }
        }
        if (n != r.Length) Array.Resize(ref r, n);
        return new(r);
    }

    /// <summary>Renames wires through <paramref name="map"/> (old index to new index) and re-sorts.</summary>
    internal LinearCombination<T> Remap(int[] map)
    {
        if (_terms == null) return this;
        var r = new Term<T>[_terms.Length];
        bool sorted = true;
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = new Term<T>(map[_terms[i].Wire], _terms[i].Coefficient);
            if (i > 0 && r[i].Wire < r[i - 1].Wire) sorted = false;
        }
        if (!sorted) Array.Sort(r, static (a, b) => a.Wire.CompareTo(b.Wire));
        return new(r);
    }

    /// <summary>Structural equality (same terms).</summary>
    public bool Equals(LinearCombination<T> other) => Terms.SequenceEqual(other.Terms);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LinearCombination<T> o && Equals(o);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var t in Terms) h.Add(t);
        return h.ToHashCode();
    }

    /// <summary>Structural equality.</summary>
    public static bool operator ==(LinearCombination<T> a, LinearCombination<T> b) => a.Equals(b);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(LinearCombination<T> a, LinearCombination<T> b) => !a.Equals(b);

    /// <summary>Readable form such as <c>3*w5 + 1</c>, with small negative coefficients shown signed.</summary>
    public override string ToString()
    {
        if (_terms == null) return "0";
        return string.Join(" + ", _terms.Select(t =>
        {
            var c = SignedValues.Format(t.Coefficient);
            return t.Wire == 0 ? c : c == "1" ? $"w{t.Wire}" : $"{c}*w{t.Wire}";
        }));
    }
}
