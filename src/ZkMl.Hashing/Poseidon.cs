using ZkMl.Field;

namespace ZkMl.Hashing;

/// <summary>
/// The Poseidon hash as circomlib defines <c>Poseidon(n)</c>: the permutation of width n + 1 applied to
/// [0, inputs...], output the first state element. The R1CS gadget is <c>ZkMl.Circuits.Gadgets.PoseidonGadget</c>.
/// </summary>
public static class Poseidon
{
    /// <summary>Hashes 1..16 field elements (circomlib-compatible over the BN254 scalar field).</summary>
    public static T Hash<T>(ReadOnlySpan<T> inputs) where T : struct, IPrimeField<T>
    {
        var p = PoseidonParameters<T>.Circomlib(inputs.Length);
        var state = new T[p.Width];
        state[0] = T.Zero;
        inputs.CopyTo(state.AsSpan(1));
        Permute(p, state);
        return state[0];
    }

    /// <summary>Hashes two elements (the Merkle tree node hash).</summary>
    public static T Hash<T>(T left, T right) where T : struct, IPrimeField<T> => Hash<T>([left, right]);

    /// <summary>The Poseidon permutation, in place.</summary>
    public static void Permute<T>(PoseidonParameters<T> p, Span<T> state) where T : struct, IPrimeField<T>
    {
        int t = p.Width;
        if (state.Length != t) throw new ArgumentException($"state must have {t} elements", nameof(state));
        var next = new T[t];
        int half = p.FullRounds / 2;
        var c = p.RoundConstantArray;
        var m = p.Mds;
        for (int r = 0; r < p.Rounds; r++)
        {
            for (int i = 0; i < t; i++) state[i] += c[r * t + i];
            bool full = r < half || r >= half + p.PartialRounds;
            if (full) for (int i = 0; i < t; i++) state[i] = Pow5(state[i]);
            else state[0] = Pow5(state[0]);
            for (int i = 0; i < t; i++)
            {
                var acc = T.Zero;
                for (int j = 0; j < t; j++) acc += m[i, j] * state[j];
                next[i] = acc;
            }
            next.CopyTo(state);
        }
    }

    private static T Pow5<T>(T x) where T : struct, IPrimeField<T>
    {
        var x2 = T.Square(x);
        return T.Square(x2) * x;
    }
}
