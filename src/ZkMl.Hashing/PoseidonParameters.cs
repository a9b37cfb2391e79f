using System.Collections.Concurrent;
using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Hashing;

/// <summary>
/// Parameters of the Poseidon permutation (x^5 S-box): width t, full and partial round counts, round constants and
/// MDS matrix, generated with the Grain LFSR in self-shrinking mode exactly as the Poseidon authors' reference script
/// (generate_parameters_grain.sage) does: round constants by rejection sampling, the MDS matrix as the Cauchy matrix
/// 1/(x_i + y_j) of the next 2t sampled elements.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class PoseidonParameters<T> where T : struct, IPrimeField<T>
{
    /// <summary>circomlib's partial round counts for t = 2..17 (Poseidon paper, rounded up).</summary>
    private static readonly int[] CircomlibPartialRounds = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

    private static readonly BigInteger Bn254ScalarModulus =
        BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly ConcurrentDictionary<int, PoseidonParameters<T>> CircomlibCache = new();

    private PoseidonParameters(int width, int fullRounds, int partialRounds, T[] roundConstants, T[,] mds)
    {
        Width = width;
        FullRounds = fullRounds;
        PartialRounds = partialRounds;
        RoundConstantArray = roundConstants;
        Mds = mds;
    }

    /// <summary>State width t (inputs + 1 for circomlib's Poseidon).</summary>
    public int Width { get; }

    /// <summary>Number of full rounds (half before, half after the partial rounds).</summary>
    public int FullRounds { get; }

    /// <summary>Number of partial rounds (S-box on the first element only).</summary>
    public int PartialRounds { get; }

    /// <summary>Round constants, round r element i at index r * t + i.</summary>
    public IReadOnlyList<T> RoundConstants => RoundConstantArray;

    internal T[] RoundConstantArray { get; }

    /// <summary>The MDS matrix; the linear layer is new[i] = sum_j Mds[i, j] * state[j].</summary>
    public T[,] Mds { get; }

    /// <summary>Total rounds.</summary>
    public int Rounds => FullRounds + PartialRounds;

    /// <summary>
    /// circomlib's parameters for <c>Poseidon(inputCount)</c> (width inputCount + 1, 8 full rounds, partial rounds per
    /// circomlib's table), over the BN254 scalar field only; cached.
    /// </summary>
    public static PoseidonParameters<T> Circomlib(int inputCount)
    {
        if (inputCount < 1 || inputCount > 16) throw new ArgumentOutOfRangeException(nameof(inputCount), inputCount, "circomlib's Poseidon takes 1 to 16 inputs");
        if (T.Modulus != Bn254ScalarModulus) throw new NotSupportedException($"circomlib's Poseidon parameters are for the BN254 scalar field, not {typeof(T).Name}");
        return CircomlibCache.GetOrAdd(inputCount + 1, static t => Generate(t, 8, CircomlibPartialRounds[t - 2]));
    }

    /// <summary>Generates parameters with the Grain LFSR for any prime field (n = the modulus' bit length). The caller chooses secure round counts.</summary>
    public static PoseidonParameters<T> Generate(int width, int fullRounds, int partialRounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        if (fullRounds <= 0 || fullRounds % 2 != 0) throw new ArgumentOutOfRangeException(nameof(fullRounds), "full rounds must be even and positive");
        ArgumentOutOfRangeException.ThrowIfNegative(partialRounds);
        int n = T.ModulusBits;
        var grain = new GrainLfsr(fieldType: 1, sboxType: 0, n, width, fullRounds, partialRounds);
        var constants = new T[(fullRounds + partialRounds) * width];
        for (int i = 0; i < constants.Length; i++)
        {
            BigInteger v;
            do v = grain.NextInteger(n); while (v >= T.Modulus);
            constants[i] = T.FromBigInteger(v);
        }
        // The reference re-samples while x_i + y_j = 0 or the 2t values repeat; it then checks the matrix against
        // infinitely long subspace trails, which the first candidate passes for every width circomlib uses (tested
        // against circomlib's published matrices).
        while (true)
        {
            var xs = new T[2 * width];
            for (int i = 0; i < xs.Length; i++) xs[i] = T.FromBigInteger(grain.NextInteger(n));
            if (xs.Distinct().Count() != xs.Length) continue;
            var mds = new T[width, width];
            bool ok = true;
            for (int i = 0; i < width && ok; i++)
                for (int j = 0; j < width && ok; j++)
                {
                    var s = xs[i] + xs[width + j];
                    if (s.IsZero) ok = false;
                    else mds[i, j] = T.Inverse(s);
                }
            if (ok) return new PoseidonParameters<T>(width, fullRounds, partialRounds, constants, mds);
        }
    }

    /// <summary>The 80-bit Grain LFSR in self-shrinking mode, seeded with the instance description.</summary>
    private sealed class GrainLfsr
    {
        private readonly bool[] _state = new bool[80];
        private int _head; // index of b_i, the oldest bit

        public GrainLfsr(int fieldType, int sboxType, int n, int t, int rf, int rp)
        {
            int pos = 0;
            void Put(long value, int bits) { for (int i = bits - 1; i >= 0; i--) _state[pos++] = ((value >> i) & 1) != 0; }
            Put(fieldType, 2);
            Put(sboxType, 4);
            Put(n, 12);
            Put(t, 12);
            Put(rf, 10);
            Put(rp, 10);
            while (pos < 80) _state[pos++] = true;
            for (int i = 0; i < 160; i++) Step();
        }

        private bool Step()
        {
            bool b = _state[(_head + 62) % 80] ^ _state[(_head + 51) % 80] ^ _state[(_head + 38) % 80]
                   ^ _state[(_head + 23) % 80] ^ _state[(_head + 13) % 80] ^ _state[_head];
            _state[_head] = b;
            _head = (_head + 1) % 80;
            return b;
        }

        private bool NextBit()
        {
            while (true)
            {
                bool first = Step();
                bool second = Step();
                if (first) return second;
            }
        }

        /// <summary>An integer from the next <paramref name="bits"/> output bits, most significant first.</summary>
        public BigInteger NextInteger(int bits)
        {
            BigInteger v = BigInteger.Zero;
            for (int i = 0; i < bits; i++) v = (v << 1) | (NextBit() ? BigInteger.One : BigInteger.Zero);
            return v;
        }
    }
}
