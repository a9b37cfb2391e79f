using System.Numerics;
using System.Security.Cryptography;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Ceremony;

/// <summary>The group work of a ceremony: applying a secret to a section, snarkjs's point encodings for the hashes, the ratio checks.</summary>
internal static class CeremonyMath
{
    private const int MinChunk = 64;

    /// <summary>Points <see cref="ApplyKey(G1Affine[], Bn254Fr, Bn254Fr, ProgressTracker?, int)"/> multiplies between two progress reports.</summary>
    public const int ProgressBatch = 8;

    /// <summary>e(a, d) = e(b, c) with no point at infinity: b/a and d/c are the same secret (snarkjs's sameRatio).</summary>
    public static bool SameRatio(in G1Affine a, in G1Affine b, in G2Affine c, in G2Affine d) =>
        !a.IsInfinity && !b.IsInfinity && !c.IsInfinity && !d.IsInfinity
        && Pairing.PairingProductIsOne([a, b.Negate()], [d, c]);

    /// <summary>
    /// points[i] · first · inc^i, in parallel; constant time because the scalars are a contributor's secrets. Adds
    /// <paramref name="weight"/> to <paramref name="tracker"/> per point as each batch of <see cref="ProgressBatch"/> is done.
    /// </summary>
    public static G1Affine[] ApplyKey(G1Affine[] points, Bn254Fr first, Bn254Fr inc, ProgressTracker? tracker = null, int weight = 1) =>
        ApplyKey(points, first, inc, tracker, weight, static (p, t) => p.ToProjective().MultiplyConstantTime(t),
            static (proj, result) => G1Projective.BatchToAffine(proj, result));

    /// <summary><see cref="ApplyKey(G1Affine[], Bn254Fr, Bn254Fr, ProgressTracker?, int)"/> for G2.</summary>
    public static G2Affine[] ApplyKey(G2Affine[] points, Bn254Fr first, Bn254Fr inc, ProgressTracker? tracker = null, int weight = 1) =>
        ApplyKey(points, first, inc, tracker, weight, static (p, t) => p.ToProjective().MultiplyConstantTime(t),
            static (proj, result) => G2Projective.BatchToAffine(proj, result));

    private static TAffine[] ApplyKey<TAffine, TProjective>(TAffine[] points, Bn254Fr first, Bn254Fr inc, ProgressTracker? tracker, int weight,
        Func<TAffine, Bn254Fr, TProjective> multiply, Action<TProjective[], TAffine[]> toAffine)
    {
        var proj = new TProjective[points.Length];
        ParallelChunks.For(points.Length, MinChunk, (from, to) =>
        {
            var t = first * Bn254Fr.Pow(inc, (ulong)from);
            for (int i = from; i < to; i++, t *= inc)
            {
                proj[i] = multiply(points[i], t);
                if ((i - from + 1) % ProgressBatch == 0 || i == to - 1) tracker?.Add((long)weight * ((i - from) % ProgressBatch + 1));
            }
        });
        var result = new TAffine[proj.Length];
        toAffine(proj, result);
        return result;
    }

    public static G1Affine Times(in G1Affine p, in Bn254Fr k) => p.ToProjective().MultiplyConstantTime(k).ToAffine();

    public static G2Affine Times(in G2Affine p, in Bn254Fr k) => p.ToProjective().MultiplyConstantTime(k).ToAffine();

    /// <summary>snarkjs's uncompressed encoding (big-endian x, y; F_q² as c1, c0; zeros for infinity) of every point.</summary>
    public static byte[] Uncompressed(G1Affine[] points) =>
        Encode(points.Length, G1Affine.UncompressedSize, (i, d) => points[i].WriteUncompressed(d));

    public static byte[] Uncompressed(G2Affine[] points) =>
        Encode(points.Length, G2Affine.UncompressedSize, (i, d) => points[i].WriteUncompressed(d));

    /// <summary>
    /// ffjavascript's compressed encoding, what a powers-of-tau response hashes: big-endian x, top bit set when y is
    /// "negative" (above (q − 1)/2), 0x40 and zeros for infinity.
    /// </summary>
    public static byte[] Compressed(G1Affine[] points) =>
        Encode(points.Length, 32, (i, d) =>
        {
            var p = points[i];
            if (p.IsInfinity) { d.Clear(); d[0] = 0x40; return; }
            Span<byte> full = stackalloc byte[64];
            p.WriteUncompressed(full);
            full[..32].CopyTo(d);
            if (SnarkjsChaCha.IsNegative(p.Y)) d[0] |= 0x80;
        });

    public static byte[] Compressed(G2Affine[] points) =>
        Encode(points.Length, 64, (i, d) =>
        {
            var p = points[i];
            if (p.IsInfinity) { d.Clear(); d[0] = 0x40; return; }
            Span<byte> full = stackalloc byte[128];
            p.WriteUncompressed(full);
            full[..64].CopyTo(d);
            if (SnarkjsChaCha.IsNegative(p.Y)) d[0] |= 0x80;
        });

    private delegate void Writer(int index, Span<byte> destination);

    private static byte[] Encode(int count, int size, Writer write)
    {
        var bytes = new byte[(long)count * size];
        ParallelChunks.For(count, 1024, (from, to) =>
        {
            for (int i = from; i < to; i++) write(i, bytes.AsSpan(i * size, size));
        });
        return bytes;
    }

    /// <summary>Random 64-bit scalars from the OS CSPRNG, for the random linear combinations that batch the ratio checks.</summary>
    public static Bn254Fr[] RandomScalars(int count)
    {
        var bytes = RandomNumberGenerator.GetBytes(8 * count);
        var r = new Bn254Fr[count];
        for (int i = 0; i < count; i++) r[i] = Bn254Fr.FromUInt64(BitConverter.ToUInt64(bytes, 8 * i));
        return r;
    }

    /// <summary>
    /// Σ rᵢ·points[i] and Σ rᵢ·points[i+1] for random rᵢ: consecutive points share one ratio iff these two do (whp). Adds
    /// <paramref name="weight"/> per point of each multi-scalar multiplication to <paramref name="tracker"/> after it.
    /// </summary>
    public static (G1Projective R1, G1Projective R2) ConsecutiveCombination(G1Affine[] points, ProgressTracker? tracker = null, int weight = 1)
    {
        var r = RandomScalars(points.Length - 1);
        var r1 = PippengerMsm.Default.Compute(points.AsSpan(0, points.Length - 1), r);
        tracker?.Add((long)weight * r.Length);
        var r2 = PippengerMsm.Default.Compute(points.AsSpan(1), r);
        tracker?.Add((long)weight * r.Length);
        return (r1, r2);
    }

    public static (G2Projective R1, G2Projective R2) ConsecutiveCombination(G2Affine[] points, ProgressTracker? tracker = null, int weight = 1)
    {
        var r = RandomScalars(points.Length - 1);
        var r1 = PippengerMsm.Default.Compute(points.AsSpan(0, points.Length - 1), r);
        tracker?.Add((long)weight * r.Length);
        var r2 = PippengerMsm.Default.Compute(points.AsSpan(1), r);
        tracker?.Add((long)weight * r.Length);
        return (r1, r2);
    }

    /// <summary>The group operations <see cref="LagrangeFromMonomials{T}"/> needs (G1 or G2, projective), and the GLV multiplier if any.</summary>
    public sealed record GroupOps<T>(Func<T, T, T> Add, Func<T, T> Double, Func<T, T> Negate, T Infinity)
    {
        public GlvMultiplier<T>? Glv { get; init; }
    }

    private static readonly GroupOps<G1Projective> G1Plain = new((a, b) => a + b, a => G1Projective.Double(a), a => a.Negate(), G1Projective.Infinity);

    private static readonly GroupOps<G2Projective> G2Plain = new((a, b) => G2Projective.Add(a, b), a => G2Projective.Double(a), a => a.Negate(), G2Projective.Infinity);

    // Declared before the groups: static fields initialise in order.
    private static readonly Bn254Fq Beta = Bn254Fq.FromBigInteger(GlvDecomposition.CubeRootsOfUnity(Bn254Fq.Modulus)[0]);

    // G1: φ(x, y) = (βx, y) for a cube root of unity β, acting as a cube root of unity mod r.
    public static readonly GroupOps<G1Projective> G1Ops = G1Plain with
    {
        Glv = GlvMultiplier<G1Projective>.Create(G1Plain, G1Endomorphism, G1Projective.Generator, (a, b) => a == b, GlvDecomposition.CubeRootsOfUnity(Bn254Fr.Modulus)),
    };

    // G2: ψ (untwist-Frobenius-twist) acts as [q] with q the base field's modulus.
    public static readonly GroupOps<G2Projective> G2Ops = G2Plain with
    {
        Glv = GlvMultiplier<G2Projective>.Create(G2Plain, p => new G2Projective(G2Subgroup.Psi(p.P)), G2Affine.Generator.ToProjective(), (a, b) => a == b,
            Bn254Fq.Modulus % Bn254Fr.Modulus),
    };

    private static G1Projective G1Endomorphism(G1Projective p) => new(p.X * Beta, p.Y, p.Z);

    /// <summary>
    /// The Lagrange-basis points [L_j(τ)] of the size-N domain from the monomial points [τ^i] (i &lt; N; missing ones count
    /// as zero): the inverse NTT in the group, L_j = (1/N) Σᵢ ω^(−ij)·[τ^i], as `snarkjs powersoftau prepare phase2`.
    /// The twiddle multiplications (all the cost) use a width-5 NAF, and 1/N is folded into the last stage's twiddles,
    /// so the final scaling costs N/2 multiplications instead of N.
    /// </summary>
    public static T[] LagrangeFromMonomials<T>(T[] x, GroupOps<T> ops)
    {
        int n = x.Length, log = BitOperations.Log2((uint)n);
        var a = new T[n];
        for (int i = 0; i < n; i++) a[Reverse(i, log)] = x[i];
        var nInv = Bn254Fr.Inverse(Bn254Fr.FromUInt64((ulong)n));
        for (int s = 1; s <= log; s++)
        {
            int half = 1 << (s - 1);
            bool last = s == log;
            var w = Bn254Fr.Inverse(Bn254Fr.RootOfUnity(s));
            var tw = new Bn254Fr[half];
            tw[0] = last ? nInv : Bn254Fr.One;
            for (int j = 1; j < half; j++) tw[j] = tw[j - 1] * w;
            ParallelChunks.For(n / 2, MinChunk, (from, to) =>
            {
                for (int b = from; b < to; b++)
                {
                    int j = b & (half - 1), k = (b >> (s - 1)) << s;
                    var u = last ? MultiplyPublic(a[k + j], nInv, ops) : a[k + j];
                    var v = j == 0 && !last ? a[k + j + half] : MultiplyPublic(a[k + j + half], tw[j], ops);
                    a[k + j] = ops.Add(u, v);
                    a[k + j + half] = ops.Add(u, ops.Negate(v));
                }
            });
        }
        return a;
    }

    private const int NafWidth = 5;

    /// <summary>Digits a NAF of a scalar below 2^256 may need.</summary>
    public const int NafDigits = 258;

    /// <summary>
    /// [k]P for a public scalar: a NAF of k or of −k when either is short (circuit coefficients often are), else GLV where
    /// the group has it.
    /// </summary>
    public static T MultiplyPublic<T>(T p, in Bn254Fr k, GroupOps<T> ops)
    {
        var kb = k.ToBigInteger();
        if (kb.GetBitLength() <= ShortScalarBits) return MultiplyNaf(p, kb, ops);
        var negated = Bn254Fr.Modulus - kb;
        if (negated.GetBitLength() <= ShortScalarBits) return ops.Negate(MultiplyNaf(p, negated, ops));
        return ops.Glv is { } glv ? glv.Multiply(p, k) : MultiplyNaf(p, kb, ops);
    }

    // Below this, a plain NAF needs no more doublings than GLV's half-length scalars.
    private const int ShortScalarBits = 128;

    /// <summary>
    /// [k]P for a public scalar by its width-5 non-adjacent form: ~254 doublings and ~42 additions (plus 8 for the table
    /// of odd multiples), where plain double-and-add needs ~127 additions.
    /// </summary>
    public static T MultiplyNaf<T>(T p, in Bn254Fr k, GroupOps<T> ops) => MultiplyNaf(p, k.ToBigInteger(), ops);

    private static T MultiplyNaf<T>(T p, BigInteger k, GroupOps<T> ops)
    {
        Span<sbyte> naf = stackalloc sbyte[NafDigits];
        int top = Naf(k, naf);
        if (top < 0) return ops.Infinity;
        var table = OddMultiples(p, ops);
        var acc = ops.Infinity;
        for (int i = top; i >= 0; i--) acc = AddDigit(ops.Double(acc), naf[i], table, ops);
        return acc;
    }

    /// <summary>P, 3P, ..., 15P.</summary>
    public static T[] OddMultiples<T>(T p, GroupOps<T> ops)
    {
        var table = new T[1 << (NafWidth - 2)];
        table[0] = p;
        var twice = ops.Double(p);
        for (int i = 1; i < table.Length; i++) table[i] = ops.Add(table[i - 1], twice);
        return table;
    }

    /// <summary>acc + d·P for an odd NAF digit d (nothing for 0), from P's odd multiples.</summary>
    public static T AddDigit<T>(T acc, int d, T[] oddMultiples, GroupOps<T> ops) =>
        d > 0 ? ops.Add(acc, oddMultiples[d >> 1]) : d < 0 ? ops.Add(acc, ops.Negate(oddMultiples[-d >> 1])) : acc;

    /// <summary>The width-5 NAF digits of k ≥ 0 (odd digits in ±1..±15, low first); returns the index of the top non-zero digit, −1 for k = 0.</summary>
    public static int Naf(BigInteger k, Span<sbyte> naf)
    {
        Span<byte> bytes = stackalloc byte[40];
        bytes.Clear();
        if (!k.TryWriteBytes(bytes, out _, isUnsigned: true)) throw new ArgumentOutOfRangeException(nameof(k));
        Span<ulong> v = stackalloc ulong[5];
        for (int l = 0; l < 5; l++) v[l] = BitConverter.ToUInt64(bytes[(8 * l)..]);
        int top = -1;
        for (int i = 0; i < naf.Length; i++)
        {
            if ((v[0] | v[1] | v[2] | v[3] | v[4]) == 0) break;
            int d = 0;
            if ((v[0] & 1) != 0)
            {
                d = (int)(v[0] & ((1 << NafWidth) - 1));
                if (d >= 1 << (NafWidth - 1)) d -= 1 << NafWidth;
                // v -= d, so v becomes divisible by 2^NafWidth.
                if (d > 0) Sub(v, (ulong)d); else Add(v, (ulong)-d);
                top = i;
            }
            naf[i] = (sbyte)d;
            for (int l = 0; l < 4; l++) v[l] = (v[l] >> 1) | (v[l + 1] << 63);
            v[4] >>= 1;
        }
        return top;
    }

    private static void Sub(Span<ulong> v, ulong d)
    {
        for (int l = 0; l < v.Length && d != 0; l++)
        {
            ulong old = v[l];
            v[l] = old - d;
            d = old < d ? 1UL : 0UL;
        }
    }

    private static void Add(Span<ulong> v, ulong d)
    {
        for (int l = 0; l < v.Length && d != 0; l++)
        {
            v[l] += d;
            d = v[l] < d ? 1UL : 0UL;
        }
    }

    private static int Reverse(int i, int bits) => bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
        v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
        v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
        v = ((v >> 8) & 0x00FF00FF) | ((v & 0x00FF00FF) << 8);
        return (v >> 16) | (v << 16);
    }
}
