using System.Numerics;
using System.Runtime.InteropServices;
using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>
/// Builds an <see cref="R1cs{T}"/> and its witness together, in the style of circom's <c>&lt;==</c> or gnark's frontend:
/// every operation that needs a constraint computes the new wire's value from the values already known.
/// Values are handled as <see cref="LinearCombination{T}"/>s, so additions and scalings are free; <see cref="Mul"/>
/// costs one constraint unless a factor is constant.
/// </summary>
/// <remarks>
/// In strict mode (the default) a constraint that the computed witness does not satisfy, or a value outside a declared
/// range, throws at once (<see cref="UnsatisfiedConstraintException"/> / <see cref="CircuitWitnessException"/>).
/// With <c>strict: false</c> the builder keeps going (range-checked values keep only their low bits) and records the
/// first problem in <see cref="FirstFailure"/>; the built witness then fails <see cref="R1cs{T}.IsSatisfied(ReadOnlySpan{T})"/>,
/// which is how tests show that the constraints themselves reject bad values.
/// Wire order in the built system follows circom: one, public outputs, public inputs, private inputs, internal wires.
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class R1csBuilder<T> where T : struct, IPrimeField<T>
{
    private enum WireKind : byte { One, PublicOutput, PublicInput, PrivateInput, Internal }

    private readonly List<T> _values = [T.One];
    private readonly List<WireKind> _kinds = [WireKind.One];
    private readonly List<R1csConstraint<T>> _constraints = [];
    private int _publicOutputs, _publicInputs, _privateInputs;

    /// <summary>Creates an empty builder.</summary>
    /// <param name="strict">Throw on the first unsatisfiable value (true) or record it and continue (false).</param>
    public R1csBuilder(bool strict = true) => Strict = strict;

    /// <summary>Whether problems throw at once.</summary>
    public bool Strict { get; }

    /// <summary>In non-strict mode, the first problem met (null when none).</summary>
    public string? FirstFailure { get; private set; }

    /// <summary>Constraints added so far.</summary>
    public int ConstraintCount => _constraints.Count;

    /// <summary>Wires allocated so far, including the constant one.</summary>
    public int WireCount => _values.Count;

    /// <summary>Public wires (outputs and inputs) declared so far.</summary>
    public int PublicCount => _publicOutputs + _publicInputs;

    /// <summary>The constant 1.</summary>
    public LinearCombination<T> One => LinearCombination<T>.One;

    /// <summary>A constant.</summary>
    public LinearCombination<T> Constant(T value) => LinearCombination<T>.Constant(value);

    /// <summary>A signed integer constant (negative values as p - |x|).</summary>
    public LinearCombination<T> Constant(long value) => LinearCombination<T>.Constant(SignedValues.FromInt64<T>(value));

    /// <summary>Declares a public input with its value.</summary>
    public LinearCombination<T> PublicInput(T value) { _publicInputs++; return NewWire(value, WireKind.PublicInput); }

    /// <summary>
    /// Replaces the value of a public input declared earlier (for statements whose public value is computed by the
    /// circuit itself, such as a commitment to an output: declare it first to fix its position, bind it later).
    /// </summary>
    public void SetPublicInputValue(LinearCombination<T> publicInput, T value)
    {
        if (!publicInput.IsSingleWire(out var w) || _kinds[w] != WireKind.PublicInput)
            throw new ArgumentException("not a public input of this builder", nameof(publicInput));
        _values[w] = value;
    }

    /// <summary>Declares a private input with its value.</summary>
    public LinearCombination<T> PrivateInput(T value) { _privateInputs++; return NewWire(value, WireKind.PrivateInput); }

    /// <summary>Exposes <paramref name="value"/> as a public output wire (one constraint binds it).</summary>
    public LinearCombination<T> PublicOutput(LinearCombination<T> value)
    {
        _publicOutputs++;
        var w = NewWire(Value(value), WireKind.PublicOutput);
        AddConstraint(value, One, w);
        return w;
    }

    /// <summary>
    /// A new internal wire holding <paramref name="value"/> with no constraint on it: the caller must constrain it
    /// (this is how gadgets bring in prover hints such as quotients or inverses).
    /// </summary>
    public LinearCombination<T> Hint(T value) => NewWire(value, WireKind.Internal);

    /// <summary>The current value of a linear combination.</summary>
    public T Value(LinearCombination<T> lc) => lc.Evaluate(CollectionsMarshal.AsSpan(_values));

    /// <summary>a + b (free).</summary>
    public LinearCombination<T> Add(LinearCombination<T> a, LinearCombination<T> b) => a + b;

    /// <summary>a - b (free).</summary>
    public LinearCombination<T> Sub(LinearCombination<T> a, LinearCombination<T> b) => a - b;

    /// <summary>a * b: one constraint and one new wire, or none when a factor is constant.</summary>
    public LinearCombination<T> Mul(LinearCombination<T> a, LinearCombination<T> b)
    {
        if (a.IsConstant) return b * a.ConstantTerm;
        if (b.IsConstant) return a * b.ConstantTerm;
        T va = Value(a), vb = Value(b), vc = va * vb;
        var w = NewWire(vc, WireKind.Internal);
        _constraints.Add(new R1csConstraint<T>(a, b, w)); // holds by construction
        return w;
    }

    /// <summary>Adds the raw constraint a * b = c.</summary>
    public void AssertProduct(LinearCombination<T> a, LinearCombination<T> b, LinearCombination<T> c) => AddConstraint(a, b, c);

    /// <summary>a = b (one constraint; none when a and b are the same combination).</summary>
    public void AssertEqual(LinearCombination<T> a, LinearCombination<T> b)
    {
        var d = a - b;
        if (d.IsConstant && d.ConstantTerm.IsZero) return; // identical combinations
        AddConstraint(a, One, b);
    }

    /// <summary>a is 0 or 1 (one constraint: a * (a - 1) = 0).</summary>
    public void AssertBoolean(LinearCombination<T> a) => AddConstraint(a, a - T.One, LinearCombination<T>.Zero);

    /// <summary>
    /// Decomposes a into <paramref name="bitCount"/> little-endian bits, proving 0 &lt;= a &lt; 2^bitCount
    /// (bitCount + 1 constraints). Requires bitCount &lt; the field's bit length so that the decomposition is unique.
    /// </summary>
    public LinearCombination<T>[] ToBits(LinearCombination<T> a, int bitCount)
    {
        var bits = NewBits(Value(a).ToBigInteger(), bitCount, out var fits);
        if (!fits) Fail($"value {SignedValues.Format(Value(a))} does not fit in {bitCount} bits");
        AssertEqual(Pack(bits), a);
        return bits;
    }

    /// <summary>Proves 0 &lt;= a &lt; 2^bitCount (bitCount + 1 constraints).</summary>
    public void AssertRange(LinearCombination<T> a, int bitCount) => ToBits(a, bitCount);

    /// <summary>
    /// A fresh value known to lie in [0, 2^bitCount): allocates its bits (bitCount boolean constraints) and returns
    /// them; <see cref="Pack"/> gives the value itself, with no further constraint. Cheaper than <see cref="ToBits"/>
    /// when the value is a new hint rather than an existing combination.
    /// </summary>
    public LinearCombination<T>[] NewBoundedBits(BigInteger value, int bitCount)
    {
        var bits = NewBits(value, bitCount, out var fits);
        if (!fits) Fail($"value {value} does not fit in {bitCount} bits");
        return bits;
    }

    /// <summary>sum_i bits[i] * 2^i (free).</summary>
    public LinearCombination<T> Pack(IReadOnlyList<LinearCombination<T>> bits)
    {
        var terms = new List<LinearCombination<T>>(bits.Count);
        var pow = T.One;
        for (int i = 0; i < bits.Count; i++) { terms.Add(bits[i] * pow); pow += pow; }
        return LinearCombination<T>.Sum(terms);
    }

    /// <summary>cond ? whenTrue : whenFalse for a boolean cond (one constraint; cond's booleanity is the caller's).</summary>
    public LinearCombination<T> Select(LinearCombination<T> cond, LinearCombination<T> whenTrue, LinearCombination<T> whenFalse) =>
        whenFalse + Mul(cond, whenTrue - whenFalse);

    /// <summary>1 when a = 0, else 0 (two constraints).</summary>
    public LinearCombination<T> IsZero(LinearCombination<T> a)
    {
        var v = Value(a);
        if (a.IsConstant) return Constant(v.IsZero ? T.One : T.Zero);
        var inv = Hint(v.IsZero ? T.Zero : T.Inverse(v));
        var isZero = Hint(v.IsZero ? T.One : T.Zero);
        AddConstraint(a, inv, One - isZero);                 // a != 0 forces isZero = 0
        AddConstraint(a, isZero, LinearCombination<T>.Zero);  // a = 0 ... or isZero = 0, hence a = 0 forces isZero = 1
        return isZero;
    }

    /// <summary>1 when a = b, else 0 (two constraints).</summary>
    public LinearCombination<T> IsEqual(LinearCombination<T> a, LinearCombination<T> b) => IsZero(a - b);

    /// <summary>Boolean and (one constraint).</summary>
    public LinearCombination<T> And(LinearCombination<T> a, LinearCombination<T> b) => Mul(a, b);

    /// <summary>Boolean not (free).</summary>
    public LinearCombination<T> Not(LinearCombination<T> a) => One - a;

    /// <summary>Adds the constraint a * b = c, checking it against the current witness.</summary>
    private void AddConstraint(LinearCombination<T> a, LinearCombination<T> b, LinearCombination<T> c)
    {
        _constraints.Add(new R1csConstraint<T>(a, b, c));
        T va = Value(a), vb = Value(b), vc = Value(c);
        if (va * vb != vc)
        {
            var failure = ConstraintFailure<T>.Of(_constraints.Count - 1, va, vb, vc);
            if (Strict) throw new UnsatisfiedConstraintException(failure.ConstraintIndex, failure.Description);
            FirstFailure ??= failure.Description;
        }
    }

    private LinearCombination<T>[] NewBits(BigInteger value, int bitCount, out bool fits)
    {
        if (bitCount < 0 || bitCount >= T.ModulusBits)
            throw new ArgumentOutOfRangeException(nameof(bitCount), bitCount, $"a range check needs 0 <= bits < {T.ModulusBits}");
        fits = value.Sign >= 0 && value.GetBitLength() <= bitCount;
        var bits = new LinearCombination<T>[bitCount];
        for (int i = 0; i < bitCount; i++)
        {
            bits[i] = Hint(value.IsEven ? T.Zero : T.One);
            value >>= 1;
            AssertBoolean(bits[i]);
        }
        return bits;
    }

    private void Fail(string message)
    {
        if (Strict) throw new CircuitWitnessException(message);
        FirstFailure ??= message;
    }

    private LinearCombination<T> NewWire(T value, WireKind kind)
    {
        _values.Add(value);
        _kinds.Add(kind);
        return LinearCombination<T>.FromWire(_values.Count - 1);
    }

    /// <summary>
    /// Finishes: renumbers wires into circom's order (one, public outputs, public inputs, private inputs, internal)
    /// and returns the system with its witness.
    /// </summary>
    public BuiltCircuit<T> Build()
    {
        var counts = new int[5];
        foreach (var k in _kinds) counts[(int)k]++;
        var next = new int[5];
        for (int k = 1; k < 5; k++) next[k] = next[k - 1] + counts[k - 1];
        var map = new int[_kinds.Count];
        for (int i = 0; i < map.Length; i++) map[i] = next[(int)_kinds[i]]++;
        var witness = new T[_values.Count];
        for (int i = 0; i < map.Length; i++) witness[map[i]] = _values[i];
        var constraints = new R1csConstraint<T>[_constraints.Count];
        Parallel.For(0, constraints.Length, i =>
        {
            var c = _constraints[i];
            constraints[i] = new R1csConstraint<T>(c.A.Remap(map), c.B.Remap(map), c.C.Remap(map));
        });
        var system = new R1cs<T>(_values.Count, _publicOutputs, _publicInputs, _privateInputs, constraints);
        return new BuiltCircuit<T>(system, witness, map);
    }
}
