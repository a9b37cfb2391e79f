namespace ZkMl.Field;

/// <summary>
/// A multiplicative evaluation domain: the size-n subgroup &lt;omega&gt; (omega = RootOfUnity(log2 n)) or its coset
/// shift * &lt;omega&gt;. Element i is shift * omega^i; the vanishing polynomial is X^n - shift^n.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class EvaluationDomain<T> where T : struct, ITwoAdicField<T>
{
    /// <summary>The subgroup of size <paramref name="size"/> (a power of two within the field's two-adicity).</summary>
    public EvaluationDomain(int size) : this(size, T.One) { }

    /// <summary>The coset <paramref name="shift"/> * &lt;omega&gt; of size <paramref name="size"/>; the shift must be non-zero.</summary>
    public EvaluationDomain(int size, T shift)
    {
        if (size <= 0 || (size & (size - 1)) != 0)
            throw new ArgumentException($"domain size must be a power of two, got {size}", nameof(size));
        int log = System.Numerics.BitOperations.Log2((uint)size);
        if (log > T.TwoAdicity)
            throw new ArgumentException($"domain size 2^{log} exceeds the two-adicity 2^{T.TwoAdicity} of {typeof(T).Name}", nameof(size));
        if (shift.IsZero) throw new ArgumentException("coset shift must be non-zero", nameof(shift));
        Size = size;
        LogSize = log;
        Generator = T.RootOfUnity(log);
        GeneratorInverse = T.Inverse(Generator);
        Shift = shift;
        ShiftInverse = T.Inverse(shift);
        ShiftToSize = FieldMath.Pow(shift, (ulong)size);
        SizeInverse = T.Inverse(T.FromUInt64((ulong)size));
    }

    /// <summary>The smallest subgroup domain with at least <paramref name="minimumSize"/> elements.</summary>
    public static EvaluationDomain<T> OfSizeAtLeast(int minimumSize) => OfSizeAtLeast(minimumSize, T.One);

    /// <summary>The smallest coset domain with at least <paramref name="minimumSize"/> elements.</summary>
    public static EvaluationDomain<T> OfSizeAtLeast(int minimumSize, T shift)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumSize, 1 << 30);
        return new EvaluationDomain<T>((int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)minimumSize), shift);
    }

    /// <summary>Number of elements n.</summary>
    public int Size { get; }

    /// <summary>log2 n.</summary>
    public int LogSize { get; }

    /// <summary>omega, a primitive n-th root of unity.</summary>
    public T Generator { get; }

    /// <summary>omega^-1.</summary>
    public T GeneratorInverse { get; }

    /// <summary>The coset shift (one for the subgroup itself).</summary>
    public T Shift { get; }

    /// <summary>shift^-1.</summary>
    public T ShiftInverse { get; }

    /// <summary>shift^n: the vanishing polynomial is X^n - shift^n.</summary>
    public T ShiftToSize { get; }

    /// <summary>1/n in the field.</summary>
    public T SizeInverse { get; }

    /// <summary>Element i: shift * omega^i.</summary>
    public T Element(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return T.Mul(Shift, FieldMath.Pow(Generator, (ulong)index));
    }

    /// <summary>All n elements in order.</summary>
    public T[] Elements()
    {
        var result = new T[Size];
        T x = Shift;
        for (int i = 0; i < Size; i++)
        {
            result[i] = x;
            x = T.Mul(x, Generator);
        }
        return result;
    }

    /// <summary>Z(x) = x^n - shift^n, zero exactly on the domain.</summary>
    public T EvaluateVanishing(in T x) => T.Sub(FieldMath.Pow(x, (ulong)Size), ShiftToSize);

    /// <summary>The vanishing polynomial X^n - shift^n.</summary>
    public Polynomial<T> VanishingPolynomial
    {
        get
        {
            var coefficients = new T[Size + 1];
            coefficients[0] = T.Neg(ShiftToSize);
            coefficients[Size] = T.One;
            return Polynomial<T>.FromOwnedArray(coefficients);
        }
    }

    /// <summary>p = q * Z + remainder for the vanishing polynomial Z of this domain, in O(deg p).</summary>
    public Polynomial<T> DivideByVanishing(Polynomial<T> polynomial, out Polynomial<T> remainder)
    {
        ArgumentNullException.ThrowIfNull(polynomial);
        return polynomial.DivideByXnMinusC(Size, ShiftToSize, out remainder);
    }

    /// <summary>The polynomial of degree &lt; n taking <paramref name="evaluations"/>[i] at element i (inverse NTT).</summary>
    public Polynomial<T> Interpolate(ReadOnlySpan<T> evaluations)
    {
        if (evaluations.Length != Size)
            throw new ArgumentException($"expected {Size} evaluations, got {evaluations.Length}", nameof(evaluations));
        T[] coefficients = evaluations.ToArray();
        if (Shift.IsOne) Ntt<T>.Instance.Inverse(coefficients);
        else Ntt<T>.Instance.CosetInverse(coefficients, Shift);
        return Polynomial<T>.FromOwnedArray(coefficients);
    }

    /// <summary>
    /// The evaluations of <paramref name="polynomial"/> at every element, in order (NTT). Polynomials of degree n or more
    /// are first reduced modulo the vanishing polynomial, which leaves their values on the domain unchanged.
    /// </summary>
    public T[] Evaluate(Polynomial<T> polynomial)
    {
        ArgumentNullException.ThrowIfNull(polynomial);
        var values = new T[Size];
        ReadOnlySpan<T> c = polynomial.Coefficients;
        // On the domain X^n = shift^n, so coefficient i contributes to i mod n with weight (shift^n)^(i / n).
        T weight = T.One;
        for (int start = 0; start < c.Length; start += Size)
        {
            int count = Math.Min(Size, c.Length - start);
            if (weight.IsOne)
                for (int i = 0; i < count; i++) values[i] = T.Add(values[i], c[start + i]);
            else
                for (int i = 0; i < count; i++) values[i] = T.Add(values[i], T.Mul(weight, c[start + i]));
            weight = T.Mul(weight, ShiftToSize);
        }
        if (Shift.IsOne) Ntt<T>.Instance.Forward(values);
        else Ntt<T>.Instance.CosetForward(values, Shift);
        return values;
    }

    /// <summary>
    /// The n Lagrange basis polynomials of this domain evaluated at <paramref name="z"/>: L_i(z) = 1 at element i and 0 at the others.
    /// Outside the domain L_i(z) = Z(z) x_i / (n shift^n (z - x_i)).
    /// </summary>
    public T[] LagrangeBasisAt(in T z)
    {
        var result = new T[Size];
        T vanishing = EvaluateVanishing(z);
        if (vanishing.IsZero)
        {
            T x = Shift;
            for (int i = 0; i < Size; i++)
            {
                if (x == z)
                {
                    result[i] = T.One;
                    return result;
                }
                x = T.Mul(x, Generator);
            }
            throw new InvalidOperationException("z vanishes on the domain but is not one of its elements");
        }
        var elements = Elements();
        for (int i = 0; i < Size; i++) result[i] = T.Sub(z, elements[i]);
        FieldMath.BatchInverse(result.AsSpan());
        T common = T.Mul(vanishing, T.Mul(SizeInverse, T.Inverse(ShiftToSize)));
        for (int i = 0; i < Size; i++) result[i] = T.Mul(result[i], T.Mul(common, elements[i]));
        return result;
    }
}
