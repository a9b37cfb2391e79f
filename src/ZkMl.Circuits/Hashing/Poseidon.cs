using ZkMl.Field;

namespace ZkMl.Circuits.Hashing;

/// <summary>
/// The Poseidon hash as circomlib defines <c>Poseidon(n)</c>: the permutation of width n + 1 applied to
/// [0, inputs...], output the first state element. Native computation and the matching R1CS gadget.
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
        var c = p.RoundConstants;
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

    /// <summary>The gadget: constrains and returns Poseidon(inputs) (3 constraints per S-box; linear layers are free).</summary>
    public static LinearCombination<T> Hash<T>(R1csBuilder<T> b, IReadOnlyList<LinearCombination<T>> inputs) where T : struct, IPrimeField<T>
    {
        var p = PoseidonParameters<T>.Circomlib(inputs.Count);
        int t = p.Width;
        var state = new LinearCombination<T>[t];
        state[0] = LinearCombination<T>.Zero;
        for (int i = 0; i < inputs.Count; i++) state[i + 1] = inputs[i];
        int half = p.FullRounds / 2;
        for (int r = 0; r < p.Rounds; r++)
        {
            for (int i = 0; i < t; i++) state[i] += p.RoundConstants[r * t + i];
            bool full = r < half || r >= half + p.PartialRounds;
            for (int i = 0; i < (full ? t : 1); i++)
            {
                var x2 = b.Mul(state[i], state[i]);
                var x4 = b.Mul(x2, x2);
                state[i] = b.Mul(x4, state[i]);
            }
            var next = new LinearCombination<T>[t];
            for (int i = 0; i < t; i++)
            {
                var terms = new LinearCombination<T>[t];
                for (int j = 0; j < t; j++) terms[j] = state[j] * p.Mds[i, j];
                next[i] = LinearCombination<T>.Sum(terms);
            }
            state = next;
        }
        return state[0];
    }

    /// <summary>Gadget for the two-to-one hash.</summary>
    public static LinearCombination<T> Hash<T>(R1csBuilder<T> b, LinearCombination<T> left, LinearCombination<T> right) where T : struct, IPrimeField<T> =>
        Hash(b, [left, right]);
}
