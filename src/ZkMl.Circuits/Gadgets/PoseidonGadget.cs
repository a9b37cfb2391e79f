using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Circuits.Gadgets;

/// <summary>The R1CS gadget of circomlib's Poseidon (<see cref="Poseidon"/> computes it natively).</summary>
public static class PoseidonGadget
{
    /// <summary>The gadget: constrains and returns Poseidon(inputs) (3 constraints per S-box; linear layers are free).</summary>
    /// <remarks>
    /// The state is kept as dense coefficients over a small basis (the constant one, the inputs, and the S-box outputs
    /// since the last full round), so linear layers are plain matrix products rather than sparse merges.
    /// </remarks>
    public static LinearCombination<T> Hash<T>(R1csBuilder<T> b, IReadOnlyList<LinearCombination<T>> inputs) where T : struct, IPrimeField<T>
    {
        var p = PoseidonParameters<T>.Circomlib(inputs.Count);
        int t = p.Width;
        int maxBasis = 1 + t + p.PartialRounds;
        var basis = new List<LinearCombination<T>>(maxBasis) { LinearCombination<T>.One };
        basis.AddRange(inputs);
        // coef[i, k]: coefficient of basis[k] in state[i]; state[0] starts at 0, state[i] = inputs[i-1].
        var coef = new T[t, maxBasis];
        var next = new T[t, maxBasis];
        for (int i = 1; i < t; i++) coef[i, i] = T.One;
        var mds = p.Mds;
        int half = p.FullRounds / 2;
        for (int r = 0; r < p.Rounds; r++)
        {
            for (int i = 0; i < t; i++) coef[i, 0] += p.RoundConstants[r * t + i];
            bool full = r < half || r >= half + p.PartialRounds;
            int k = basis.Count;
            if (full)
            {
                // Every element goes through the S-box: the basis restarts as [one, outputs...].
                var outs = new LinearCombination<T>[t];
                for (int i = 0; i < t; i++) outs[i] = Sbox(b, Materialize(coef, i, basis));
                basis.Clear();
                basis.Add(LinearCombination<T>.One);
                basis.AddRange(outs);
                k = basis.Count;
                Array.Clear(coef);
                for (int i = 0; i < t; i++) coef[i, i + 1] = T.One;
            }
            else
            {
                var y = Sbox(b, Materialize(coef, 0, basis));
                basis.Add(y);
                k = basis.Count;
                for (int j = 0; j < k; j++) coef[0, j] = T.Zero;
                coef[0, k - 1] = T.One;
            }
            // next = Mds * coef over the live columns.
            for (int i = 0; i < t; i++)
                for (int j = 0; j < k; j++)
                {
                    var acc = T.Zero;
                    for (int m = 0; m < t; m++)
                    {
                        var c = coef[m, j];
                        if (!c.IsZero) acc += mds[i, m] * c;
                    }
                    next[i, j] = acc;
                }
            (coef, next) = (next, coef);
        }
        return Materialize(coef, 0, basis);
    }

    private static LinearCombination<T> Sbox<T>(R1csBuilder<T> b, LinearCombination<T> x) where T : struct, IPrimeField<T>
    {
        var x2 = b.Mul(x, x);
        var x4 = b.Mul(x2, x2);
        return b.Mul(x4, x);
    }

    private static LinearCombination<T> Materialize<T>(T[,] coef, int row, List<LinearCombination<T>> basis) where T : struct, IPrimeField<T>
    {
        var parts = new List<LinearCombination<T>>(basis.Count);
        for (int k = 0; k < basis.Count; k++)
            if (!coef[row, k].IsZero) parts.Add(basis[k] * coef[row, k]);
        return LinearCombination<T>.Sum(parts);
    }

    /// <summary>The gadget for the two-to-one hash.</summary>
    public static LinearCombination<T> Hash<T>(R1csBuilder<T> b, LinearCombination<T> left, LinearCombination<T> right) where T : struct, IPrimeField<T> =>
        Hash(b, [left, right]);
}
