using System.Runtime.CompilerServices;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark;

/// <summary>
/// What an AIR's <see cref="Air.Evaluate{TF}"/> sees: the current and next rows, the periodic values, and
/// <see cref="AssertZero(string, TF, ConstraintDomain, int)"/> to declare each transition constraint once, with its name
/// and its value. Evaluating over a symbolic degree type gives the constraint list (names, domains, degrees); evaluating
/// over a field writes the values, in the same order, with no per-row cost for the names.
/// </summary>
public ref struct ConstraintBuilder<TF> where TF : struct, IField<TF>
{
    private readonly Span<TF> _values;
    private readonly List<TransitionConstraint>? _declared;
    private readonly string? _prefix;
    private int _count;

    internal ConstraintBuilder(ReadOnlySpan<TF> current, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, Span<TF> values, List<TransitionConstraint>? declared)
    {
        Current = current;
        Next = next;
        Periodic = periodic;
        _values = values;
        _declared = declared;
    }

    private ConstraintBuilder(ReadOnlySpan<TF> current, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, Span<TF> values, List<TransitionConstraint>? declared, string prefix)
        : this(current, next, periodic, values, declared) => _prefix = prefix;

    /// <summary>Constraints declared so far.</summary>
    internal readonly int Count => _count;

    /// <summary>
    /// A builder for a component AIR over other row views that writes after this builder's constraints and names them
    /// with <paramref name="prefix"/>; <see cref="Absorb"/> it back once the component has declared its constraints.
    /// </summary>
    internal readonly ConstraintBuilder<TF> Component(ReadOnlySpan<TF> current, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, string prefix) =>
        new(current, next, periodic, _declared is null ? _values[_count..] : default, _declared, (_prefix ?? "") + prefix);

    /// <summary>Counts the constraints a <see cref="Component"/> builder declared as this builder's.</summary>
    internal void Absorb(in ConstraintBuilder<TF> component) => _count += component._count;

    /// <summary>The current row's main-trace values.</summary>
    public ReadOnlySpan<TF> Current { get; }
    /// <summary>The next row's main-trace values.</summary>
    public ReadOnlySpan<TF> Next { get; }
    /// <summary>The periodic columns' values at the current row.</summary>
    public ReadOnlySpan<TF> Periodic { get; }

    /// <summary>
    /// Declares that <paramref name="value"/> vanishes on <paramref name="domain"/>. The degree is derived from the
    /// expression; <paramref name="degree"/> (when positive) declares a higher one, which the AIR definition records.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AssertZero(string name, TF value, ConstraintDomain domain = ConstraintDomain.AllButLastRow, int degree = 0)
    {
        // A JIT-time constant: field instantiations keep only the store.
        if (typeof(TF) == typeof(SymbolicDegree)) { Declare(name, -1, Unsafe.As<TF, SymbolicDegree>(ref value), domain, degree); _count++; }
        else _values[_count++] = value;
    }

    /// <summary>As <see cref="AssertZero(string, TF, ConstraintDomain, int)"/>, for member <paramref name="index"/> of a family: its name is <paramref name="name"/> followed by the index (formatted only when declaring).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AssertZero(string name, int index, TF value, ConstraintDomain domain = ConstraintDomain.AllButLastRow, int degree = 0)
    {
        if (typeof(TF) == typeof(SymbolicDegree)) { Declare(name, index, Unsafe.As<TF, SymbolicDegree>(ref value), domain, degree); _count++; }
        else _values[_count++] = value;
    }

    private void Declare(string name, int index, SymbolicDegree value, ConstraintDomain domain, int degree)
    {
        string fullName = _prefix + (index < 0 ? name : $"{name}{index}");
        int derived = Math.Max(1, value.Degree);
        if (degree > 0 && degree < derived)
            throw new InvalidOperationException($"Constraint '{fullName}' declares degree {degree} but its expression has degree {derived}.");
        _declared!.Add(new TransitionConstraint(fullName, Math.Max(degree, derived), domain));
    }
}
