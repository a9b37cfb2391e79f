using System.Reflection;
using System.Text;

namespace ZkMl.Field;

/// <summary>
/// An immutable univariate polynomial with dense coefficients, lowest degree first. Trailing zero coefficients
/// are trimmed, so the zero polynomial has no coefficients and degree -1.
/// </summary>
/// <typeparam name="T">The coefficient field.</typeparam>
public sealed class Polynomial<T> : IEquatable<Polynomial<T>> where T : struct, IField<T>
{
    /// <summary>Products whose schoolbook cost (la * lb multiplications) is at most this use schoolbook, not NTT.</summary>
    internal const long SchoolbookCutoff = 64 * 64;

    private readonly T[] _coefficients;

    /// <summary>A polynomial with a copy of <paramref name="coefficients"/> (c0 + c1 X + ...).</summary>
    public Polynomial(ReadOnlySpan<T> coefficients) : this(coefficients.ToArray(), trusted: true) { }

    /// <summary>A polynomial taking ownership of an array nobody else holds (no copy).</summary>
    private Polynomial(T[] coefficients, bool trusted)
    {
        _ = trusted;
        int length = coefficients.Length;
        while (length > 0 && coefficients[length - 1].IsZero) length--;
        _coefficients = length == coefficients.Length ? coefficients : coefficients.AsSpan(0, length).ToArray();
    }

    /// <summary>The zero polynomial.</summary>
    public static Polynomial<T> Zero { get; } = new([], trusted: true);

    /// <summary>The constant polynomial 1.</summary>
    public static Polynomial<T> One { get; } = new([T.One], trusted: true);

    /// <summary>The polynomial X.</summary>
    public static Polynomial<T> X { get; } = new([T.Zero, T.One], trusted: true);

    /// <summary>The constant polynomial <paramref name="value"/>.</summary>
    public static Polynomial<T> Constant(T value) => new([value], trusted: true);

    /// <summary>Wraps an array without copying; the caller must not modify it afterwards.</summary>
    internal static Polynomial<T> FromOwnedArray(T[] coefficients) => new(coefficients, trusted: true);

    /// <summary>The coefficients c0, c1, ..., c_degree (empty for the zero polynomial).</summary>
    public ReadOnlySpan<T> Coefficients => _coefficients;

    /// <summary>The degree; -1 for the zero polynomial.</summary>
    public int Degree => _coefficients.Length - 1;

    /// <summary>True for the zero polynomial.</summary>
    public bool IsZero => _coefficients.Length == 0;

    /// <summary>The coefficient of X^<paramref name="power"/> (zero above the degree).</summary>
    public T this[int power]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(power);
            return power < _coefficients.Length ? _coefficients[power] : T.Zero;
        }
    }

    /// <summary>A copy of the coefficients padded with zeros to <paramref name="length"/> (at least Degree + 1).</summary>
    public T[] ToArray(int length)
    {
        if (length < _coefficients.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"length {length} is below the {_coefficients.Length} coefficients");
        var result = new T[length];
        _coefficients.CopyTo(result, 0);
        return result;
    }

    /// <summary>p(x) by Horner's rule.</summary>
    public T Evaluate(in T x)
    {
        T acc = T.Zero;
        for (int i = _coefficients.Length - 1; i >= 0; i--) acc = T.Add(T.Mul(acc, x), _coefficients[i]);
        return acc;
    }

    /// <summary>p(points[i]) into results[i].</summary>
    public void Evaluate(ReadOnlySpan<T> points, Span<T> results)
    {
        if (results.Length < points.Length)
            throw new ArgumentException($"results has {results.Length} slots for {points.Length} points", nameof(results));
        for (int i = 0; i < points.Length; i++) results[i] = Evaluate(points[i]);
    }

    /// <summary>this + other.</summary>
    public Polynomial<T> Add(Polynomial<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var (longer, shorter) = _coefficients.Length >= other._coefficients.Length ? (this, other) : (other, this);
        T[] result = (T[])longer._coefficients.Clone();
        for (int i = 0; i < shorter._coefficients.Length; i++) result[i] = T.Add(result[i], shorter._coefficients[i]);
        return new Polynomial<T>(result, trusted: true);
    }

    /// <summary>this - other.</summary>
    public Polynomial<T> Sub(Polynomial<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = new T[Math.Max(_coefficients.Length, other._coefficients.Length)];
        _coefficients.CopyTo(result, 0);
        for (int i = 0; i < other._coefficients.Length; i++) result[i] = T.Sub(result[i], other._coefficients[i]);
        return new Polynomial<T>(result, trusted: true);
    }

    /// <summary>-this.</summary>
    public Polynomial<T> Negate()
    {
        var result = new T[_coefficients.Length];
        for (int i = 0; i < result.Length; i++) result[i] = T.Neg(_coefficients[i]);
        return new Polynomial<T>(result, trusted: true);
    }

    /// <summary>factor * this.</summary>
    public Polynomial<T> Scale(in T factor)
    {
        var result = new T[_coefficients.Length];
        for (int i = 0; i < result.Length; i++) result[i] = T.Mul(_coefficients[i], factor);
        return new Polynomial<T>(result, trusted: true);
    }

    /// <summary>
    /// this * other: schoolbook for small operands, NTT (when <typeparamref name="T"/> is an <see cref="ITwoAdicField{T}"/>
    /// and the product fits its two-adic subgroup) above the cut-off.
    /// </summary>
    public Polynomial<T> Multiply(Polynomial<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsZero || other.IsZero) return Zero;
        int la = _coefficients.Length, lb = other._coefficients.Length;
        if (PreferNtt(la, lb) && NttMultiplication.Multiply is { } viaNtt && viaNtt(_coefficients, other._coefficients) is { } product)
            return new Polynomial<T>(product, trusted: true);
        return new Polynomial<T>(MultiplySchoolbook(_coefficients, other._coefficients), trusted: true);
    }

    /// <summary>Schoolbook costs la*lb multiplications; three transforms of size s cost about 1.5 s log s plus s pointwise.</summary>
    internal static bool PreferNtt(int la, int lb)
    {
        long schoolbook = (long)la * lb;
        if (schoolbook <= SchoolbookCutoff) return false;
        long size = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)(la + lb - 1));
        int log = System.Numerics.BitOperations.Log2((ulong)size);
        return schoolbook > 2 * size * log + size;
    }

    internal static T[] MultiplySchoolbook(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        var result = new T[a.Length + b.Length - 1];
        for (int i = 0; i < a.Length; i++)
        {
            T ai = a[i];
            if (ai.IsZero) continue;
            for (int j = 0; j < b.Length; j++) result[i + j] = T.Add(result[i + j], T.Mul(ai, b[j]));
        }
        return result;
    }

    /// <summary>
    /// Synthetic division by (X - z): returns q with this = q * (X - z) + remainder, where remainder = this(z).
    /// </summary>
    public Polynomial<T> DivideByLinear(in T z, out T remainder)
    {
        int n = _coefficients.Length;
        if (n == 0)
        {
            remainder = T.Zero;
            return Zero;
        }
        var quotient = new T[n - 1];
        T carry = _coefficients[n - 1];
        for (int i = n - 2; i >= 0; i--)
        {
            quotient[i] = carry;
            carry = T.Add(_coefficients[i], T.Mul(carry, z));
        }
        remainder = carry;
        return new Polynomial<T>(quotient, trusted: true);
    }

    /// <summary>
    /// Division by X^<paramref name="n"/> - <paramref name="c"/> (the vanishing polynomial of a size-n subgroup for c = 1,
    /// of its coset shift * &lt;omega&gt; for c = shift^n), in O(degree): this = q * (X^n - c) + remainder.
    /// </summary>
    public Polynomial<T> DivideByXnMinusC(int n, in T c, out Polynomial<T> remainder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (_coefficients.Length <= n)
        {
            remainder = this;
            return Zero;
        }
        T[] work = (T[])_coefficients.Clone();
        var quotient = new T[work.Length - n];
        for (int i = work.Length - 1; i >= n; i--)
        {
            T q = work[i];
            quotient[i - n] = q;
            work[i - n] = T.Add(work[i - n], T.Mul(c, q));
        }
        remainder = new Polynomial<T>(work.AsSpan(0, n).ToArray(), trusted: true);
        return new Polynomial<T>(quotient, trusted: true);
    }

    /// <summary>Long division: this = quotient * divisor + remainder with deg(remainder) &lt; deg(divisor).</summary>
    public Polynomial<T> DivRem(Polynomial<T> divisor, out Polynomial<T> remainder)
    {
        ArgumentNullException.ThrowIfNull(divisor);
        if (divisor.IsZero) throw new DivideByZeroException("polynomial division by the zero polynomial");
        int dn = divisor._coefficients.Length;
        if (_coefficients.Length < dn)
        {
            remainder = this;
            return Zero;
        }
        T leadInverse = T.Inverse(divisor._coefficients[dn - 1]);
        T[] work = (T[])_coefficients.Clone();
        var quotient = new T[work.Length - dn + 1];
        for (int i = quotient.Length - 1; i >= 0; i--)
        {
            T q = T.Mul(work[i + dn - 1], leadInverse);
            quotient[i] = q;
            if (q.IsZero) continue;
            for (int j = 0; j < dn; j++) work[i + j] = T.Sub(work[i + j], T.Mul(q, divisor._coefficients[j]));
        }
        remainder = new Polynomial<T>(work.AsSpan(0, dn - 1).ToArray(), trusted: true);
        return new Polynomial<T>(quotient, trusted: true);
    }

    /// <summary>
    /// The unique polynomial of degree &lt; n through (xs[i], ys[i]), by Lagrange interpolation in O(n^2).
    /// Throws <see cref="ArgumentException"/> for mismatched lengths or repeated points.
    /// For a subgroup or coset use <see cref="EvaluationDomain{T}.Interpolate"/> (O(n log n)).
    /// </summary>
    public static Polynomial<T> Interpolate(ReadOnlySpan<T> xs, ReadOnlySpan<T> ys)
    {
        if (xs.Length != ys.Length) throw new ArgumentException($"{xs.Length} points but {ys.Length} values");
        int n = xs.Length;
        if (n == 0) return Zero;
        // M(X) = prod (X - x_i)
        var master = new T[n + 1];
        master[0] = T.One;
        for (int i = 0; i < n; i++)
        {
            T negX = T.Neg(xs[i]);
            for (int k = i + 1; k >= 1; k--) master[k] = T.Add(master[k - 1], T.Mul(master[k], negX));
            master[0] = T.Mul(master[0], negX);
        }
        var masterPoly = new Polynomial<T>(master, trusted: true);
        // Weights w_i = 1 / prod_{j != i} (x_i - x_j).
        var denominators = new T[n];
        for (int i = 0; i < n; i++)
        {
            T d = T.One;
            for (int j = 0; j < n; j++)
                if (j != i) d = T.Mul(d, T.Sub(xs[i], xs[j]));
            if (d.IsZero) throw new ArgumentException($"interpolation point {i} is repeated");
            denominators[i] = d;
        }
        FieldMath.BatchInverse(denominators.AsSpan());
        var result = new T[n];
        for (int i = 0; i < n; i++)
        {
            T weight = T.Mul(ys[i], denominators[i]);
            if (weight.IsZero) continue;
            Polynomial<T> basis = masterPoly.DivideByLinear(xs[i], out _);
            ReadOnlySpan<T> bc = basis.Coefficients;
            for (int k = 0; k < bc.Length; k++) result[k] = T.Add(result[k], T.Mul(weight, bc[k]));
        }
        return new Polynomial<T>(result, trusted: true);
    }

    /// <summary>this + other.</summary>
    public static Polynomial<T> operator +(Polynomial<T> a, Polynomial<T> b) => a.Add(b);
    /// <summary>a - b.</summary>
    public static Polynomial<T> operator -(Polynomial<T> a, Polynomial<T> b) => a.Sub(b);
    /// <summary>-a.</summary>
    public static Polynomial<T> operator -(Polynomial<T> a) => a.Negate();
    /// <summary>a * b.</summary>
    public static Polynomial<T> operator *(Polynomial<T> a, Polynomial<T> b) => a.Multiply(b);
    /// <summary>factor * a.</summary>
    public static Polynomial<T> operator *(T factor, Polynomial<T> a) => a.Scale(factor);
    /// <summary>a * factor.</summary>
    public static Polynomial<T> operator *(Polynomial<T> a, T factor) => a.Scale(factor);

    /// <inheritdoc/>
    public bool Equals(Polynomial<T>? other) =>
        other is not null && _coefficients.AsSpan().SequenceEqual(other._coefficients);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Polynomial<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (T c in _coefficients) hash.Add(c);
        return hash.ToHashCode();
    }

    /// <summary>Human-readable form, e.g. "3 + 2*X + 1*X^2".</summary>
    public override string ToString()
    {
        if (IsZero) return "0";
        var sb = new StringBuilder();
        for (int i = 0; i < _coefficients.Length; i++)
        {
            if (_coefficients[i].IsZero) continue;
            if (sb.Length > 0) sb.Append(" + ");
            sb.Append(_coefficients[i].ToString());
            if (i == 1) sb.Append("*X");
            else if (i > 1) sb.Append("*X^").Append(i);
        }
        return sb.ToString();
    }

    /// <summary>Finds, once per coefficient type, an NTT-based multiplier when the type is two-adic.</summary>
    private static class NttMultiplication
    {
        internal static readonly Func<T[], T[], T[]?>? Multiply = Create();

        private static Func<T[], T[], T[]?>? Create()
        {
            // Inspect the interfaces rather than closing ITwoAdicField<T>, which throws for non-prime T (constraint violation).
            bool twoAdic = typeof(T).GetInterfaces().Any(i =>
                i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITwoAdicField<>) && i.GenericTypeArguments[0] == typeof(T));
            if (!twoAdic) return null;
            MethodInfo method = typeof(PolynomialNtt<>).MakeGenericType(typeof(T))
                .GetMethod("MultiplyOrNull", BindingFlags.Static | BindingFlags.NonPublic)!;
            return method.CreateDelegate<Func<T[], T[], T[]?>>();
        }
    }
}
