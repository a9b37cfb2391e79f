using System.Numerics;
using System.Runtime.InteropServices;
using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>A built constraint system with the witness the builder computed.</summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class BuiltCircuit<T> where T : struct, IPrimeField<T>
{
    private readonly int[] _map;

    internal BuiltCircuit(R1cs<T> system, T[] witness, int[] map) { System = system; Witness = witness; _map = map; }

    /// <summary>The constraint system.</summary>
    public R1cs<T> System { get; }

    /// <summary>The full witness (witness[0] = 1), in the system's wire order.</summary>
    public T[] Witness { get; }

    /// <summary>The public values (wires 1..PublicCount: outputs, then inputs), as a verifier sees them.</summary>
    public T[] PublicValues => Witness.AsSpan(1, System.PublicCount).ToArray();

    /// <summary>The wire index in <see cref="System"/> of a single-wire combination returned by the builder.</summary>
    public int WireOf(LinearCombination<T> wire)
    {
        if (!wire.IsSingleWire(out var w)) throw new ArgumentException("not a single wire with coefficient 1", nameof(wire));
        return _map[w];
    }

    /// <summary>The value, under <see cref="Witness"/>, of a combination made by the builder (in the builder's numbering).</summary>
    public T ValueOf(LinearCombination<T> lc) => lc.Remap(_map).Evaluate(Witness);
}
