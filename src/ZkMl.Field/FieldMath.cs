using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;
using ZkMl.Common;

namespace ZkMl.Field;

/// <summary>
/// Generic field algorithms shared by every field type: exponentiation, batch inversion, square roots,
/// the Legendre symbol and cryptographically secure sampling.
/// </summary>
public static class FieldMath
{
    /// <summary>Batches at least this long are inverted in parallel chunks (one field inversion per chunk).</summary>
    private const int ParallelBatchInverseThreshold = 1 << 14;

    /// <summary><paramref name="value"/> raised to <paramref name="exponent"/> (square-and-multiply; x^0 = 1, including 0^0).</summary>
    public static T Pow<T>(in T value, ulong exponent) where T : struct, IField<T>
    {
        T result = T.One;
        T square = value;
        while (exponent != 0)
        {
            if ((exponent & 1) != 0) result = T.Mul(result, square);
            exponent >>= 1;
            if (exponent != 0) square = T.Square(square);
        }
        return result;
    }

    /// <summary>
    /// <paramref name="value"/> raised to <paramref name="exponent"/>. A negative exponent inverts first,
    /// so it throws <see cref="DivideByZeroException"/> for a zero base.
    /// </summary>
    public static T Pow<T>(in T value, BigInteger exponent) where T : struct, IField<T>
    {
        if (exponent.Sign == 0) return T.One;
        T baseValue = exponent.Sign < 0 ? T.Inverse(value) : value;
        return Pow(baseValue, Limbs.FromBigInteger(BigInteger.Abs(exponent)));
    }

    /// <summary>Exponentiation by a non-negative exponent given as little-endian 64-bit limbs.</summary>
    // Inversion runs through here; measured: tiered (OSR) code made a BN254 inversion ~35% slower (16.7 vs 11.8 us).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static T Pow<T>(in T value, ReadOnlySpan<ulong> exponentLimbs) where T : struct, IField<T>
    {
        int top = exponentLimbs.Length - 1;
        while (top >= 0 && exponentLimbs[top] == 0) top--;
        if (top < 0) return T.One;
        int bits = 64 * top + 64 - BitOperations.LeadingZeroCount(exponentLimbs[top]);
        if (bits <= 32) return Pow(value, exponentLimbs[0]);
        // Fixed 4-bit windows from the top (long exponents such as p - 2 for inversion): 4 squarings and at most
        // one multiplication by a table entry per window, against one multiplication per set bit.
        var tableBuffer = new PowTable<T>();
        Span<T> table = tableBuffer;
        table[0] = T.One;
        table[1] = value;
        for (int i = 2; i < 16; i++) table[i] = T.Mul(table[i - 1], value);
        int windows = (bits + 3) / 4;
        T acc = T.One;
        for (int w = windows - 1; w >= 0; w--)
        {
            if (w != windows - 1) acc = T.Square(T.Square(T.Square(T.Square(acc))));
            int nibble = (int)((exponentLimbs[w >> 4] >> (4 * (w & 15))) & 15);
            if (nibble != 0) acc = w == windows - 1 ? table[nibble] : T.Mul(acc, table[nibble]);
        }
        return acc;
    }

    /// <summary>The 16 powers a fixed 4-bit window uses, on the stack for any field (stackalloc needs unmanaged types).</summary>
    [System.Runtime.CompilerServices.InlineArray(16)]
    private struct PowTable<T>
    {
        private T _element;
    }

    /// <summary>
    /// Inverts every element of <paramref name="values"/> in place with Montgomery's trick
    /// (one field inversion plus about three multiplications per element).
    /// Throws <see cref="DivideByZeroException"/> naming the first zero element's index; the span is left unchanged then.
    /// </summary>
    public static void BatchInverse<T>(Span<T> values) where T : struct, IField<T>
    {
        T[] scratch = ArrayPool<T>.Shared.Rent(values.Length);
        try
        {
            Span<T> prefix = scratch.AsSpan(0, values.Length);
            values.CopyTo(prefix);
            BatchInverse((ReadOnlySpan<T>)prefix, values);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Writes 1/<paramref name="values"/>[i] to <paramref name="destination"/>[i] (Montgomery's trick).
    /// The spans may be the same memory. Throws <see cref="DivideByZeroException"/> naming the first zero element's index,
    /// before anything is written.
    /// </summary>
    public static void BatchInverse<T>(ReadOnlySpan<T> values, Span<T> destination) where T : struct, IField<T>
    {
        if (destination.Length < values.Length)
            throw new ArgumentException($"destination has {destination.Length} elements, need {values.Length}", nameof(destination));
        if (values.Overlaps(destination))
        {
            BatchInverse(destination[..values.Length]);
            return;
        }
        int n = values.Length;
        for (int i = 0; i < n; i++)
            if (values[i].IsZero) throw new DivideByZeroException($"batch inversion: element at index {i} is zero");
        if (n >= ParallelBatchInverseThreshold && Environment.ProcessorCount > 1)
        {
            int chunks = Environment.ProcessorCount * 2;
            int chunkSize = (n + chunks - 1) / chunks;
            unsafe
            {
                fixed (byte* src = &System.Runtime.CompilerServices.Unsafe.As<T, byte>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(values)))
                fixed (byte* dst = &System.Runtime.CompilerServices.Unsafe.As<T, byte>(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination)))
                {
                    nint srcAddress = (nint)src, dstAddress = (nint)dst;
                    Parallel.For(0, chunks, c =>
                    {
                        int start = c * chunkSize;
                        int end = Math.Min(n, start + chunkSize);
                        if (start >= end) return;
                        var s = new ReadOnlySpan<T>((void*)srcAddress, n);
                        var d = new Span<T>((void*)dstAddress, n);
                        BatchInverseNonZero(s[start..end], d[start..end]);
                    });
                }
            }
        }
        else
        {
            BatchInverseNonZero(values, destination);
        }
    }

    private static void BatchInverseNonZero<T>(ReadOnlySpan<T> values, Span<T> destination) where T : struct, IField<T>
    {
        int n = values.Length;
        if (n == 0) return;
        // destination[i] = values[0] * ... * values[i-1]
        T accumulator = T.One;
        for (int i = 0; i < n; i++)
        {
            destination[i] = accumulator;
            accumulator = T.Mul(accumulator, values[i]);
        }
        T inverse = T.Inverse(accumulator);
        for (int i = n - 1; i >= 0; i--)
        {
            T inverseOfValue = T.Mul(inverse, destination[i]);
            inverse = T.Mul(inverse, values[i]);
            destination[i] = inverseOfValue;
        }
    }

    /// <summary>
    /// The Legendre symbol (a/p): 0 for zero, 1 for a non-zero square, -1 for a non-square.
    /// Computed as a^((p-1)/2).
    /// </summary>
    public static int Legendre<T>(in T value) where T : struct, IPrimeField<T>
    {
        if (value.IsZero) return 0;
        T power = Pow(value, SqrtConstants<T>.HalfOrderLimbs);
        if (power.IsOne) return 1;
        if (T.Add(power, T.One).IsZero) return -1;
        throw new InvalidOperationException($"a^((p-1)/2) is neither 1 nor -1 for {typeof(T).Name}; the modulus is not prime");
    }

    /// <summary>
    /// A square root of <paramref name="value"/> via Tonelli-Shanks (works for every odd prime, including p = 1 mod 8).
    /// Returns false (and zero) when the value is not a square. Which of the two roots is returned is unspecified;
    /// the other one is its negation.
    /// </summary>
    public static bool TrySqrt<T>(in T value, out T root) where T : struct, IPrimeField<T>
    {
        if (value.IsZero)
        {
            root = T.Zero;
            return true;
        }
        // p - 1 = 2^s * q with q odd.
        int m = SqrtConstants<T>.TwoAdicity;
        T c = SqrtConstants<T>.NonResidueToQ;
        T t = Pow(value, SqrtConstants<T>.OddPartLimbs);
        T r = Pow(value, SqrtConstants<T>.OddPartPlusOneHalfLimbs);
        while (!t.IsOne)
        {
            // Least i in (0, m) with t^(2^i) = 1; none means value is a non-residue.
            int i = 0;
            T probe = t;
            while (!probe.IsOne)
            {
                probe = T.Square(probe);
                i++;
                if (i == m)
                {
                    root = T.Zero;
                    return false;
                }
            }
            T b = c;
            for (int k = 0; k < m - i - 1; k++) b = T.Square(b);
            m = i;
            c = T.Square(b);
            t = T.Mul(t, c);
            r = T.Mul(r, b);
        }
        root = r;
        return true;
    }

    /// <summary>
    /// A uniformly random element drawn from <see cref="RandomNumberGenerator"/> (the OS CSPRNG) by rejection sampling
    /// on the canonical encoding, masked to the modulus bit length so fewer than half of the draws are rejected.
    /// Use this for secrets (blinding factors, toxic waste); <see cref="IField{T}.Random"/> is for tests. Draws from
    /// <see cref="RandomSource.Current"/> (the OS CSPRNG unless an insecure seeded scope is open).
    /// </summary>
    public static T RandomSecure<T>() where T : struct, IPrimeField<T>
    {
        int length = T.ByteLength;
        int bits = T.ModulusBits;
        int usedBytes = (bits + 7) / 8;
        byte topMask = (byte)((1 << ((bits - 1) % 8 + 1)) - 1);
        Span<byte> buffer = length <= 128 ? stackalloc byte[length] : new byte[length];
        try
        {
            while (true)
            {
                buffer.Clear();
                RandomSource.Current.Fill(buffer[..usedBytes]);
                buffer[usedBytes - 1] &= topMask;
                if (T.TryReadBytes(buffer, out T value)) return value;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Per-field constants for square roots: p - 1 = 2^s * q, a fixed non-residue z and z^q.</summary>
    private static class SqrtConstants<T> where T : struct, IPrimeField<T>
    {
        internal static readonly int TwoAdicity;
        internal static readonly ulong[] OddPartLimbs;
        internal static readonly ulong[] OddPartPlusOneHalfLimbs;
        internal static readonly ulong[] HalfOrderLimbs;
        internal static readonly T NonResidueToQ;

        static SqrtConstants()
        {
            BigInteger p = T.Modulus;
            if (p < 3 || p.IsEven) throw new InvalidOperationException($"{typeof(T).Name}: square roots need an odd prime modulus");
            BigInteger q = p - 1;
            int s = 0;
            while (q.IsEven)
            {
                q >>= 1;
                s++;
            }
            TwoAdicity = s;
            OddPartLimbs = Limbs.FromBigInteger(q);
            OddPartPlusOneHalfLimbs = Limbs.FromBigInteger((q + 1) / 2);
            HalfOrderLimbs = Limbs.FromBigInteger((p - 1) / 2);
            // The smallest non-residue is tiny for every prime of practical interest.
            for (ulong candidate = 2; ; candidate++)
            {
                T z = T.FromUInt64(candidate);
                if (T.Add(Pow(z, HalfOrderLimbs), T.One).IsZero)
                {
                    NonResidueToQ = Pow(z, OddPartLimbs);
                    break;
                }
            }
        }
    }
}
