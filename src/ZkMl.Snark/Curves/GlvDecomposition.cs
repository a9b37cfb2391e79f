using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>
/// GLV scalar decomposition for an endomorphism acting as [λ] on a group of order r: k ≡ k₁ + k₂λ (mod r) with |k₁|, |k₂|
/// about √r, from a short basis (a₁, b₁), (a₂, b₂) of the lattice {(a, b) : a + bλ ≡ 0 (mod r)}. The exact form
/// (<see cref="Decompose(BigInteger)"/>) serves the ceremony's multiplier; the fixed-width form
/// (<see cref="DecomposeFixedWidth"/>) serves the MSM, where a BigInteger per scalar would cost more than the endomorphism saves.
/// </summary>
internal sealed class GlvDecomposition
{
    private readonly BigInteger _a1, _b1, _a2, _b2;
    private readonly int _sign;

    // Fixed-width form: c₁ = round(k·g₁ / 2^256) · s₁ estimates round(sign·b₂·k / r) (s₁ its sign), likewise c₂ for −sign·b₁;
    // the basis entries are kept modulo 2^128, where k₁ and k₂ are computed.
    private readonly ulong _g1a, _g1b, _g1c, _g2a, _g2b, _g2c;
    private readonly bool _negC1, _negC2;
    private readonly UInt128 _ma1, _mb1, _ma2, _mb2;

    /// <summary>True when the fixed-width form is exact here (the basis is short enough that k₁, k₂ fit an Int128).</summary>
    public bool HasFixedWidth { get; }

    /// <summary>The basis for eigenvalue <paramref name="lambda"/> of an endomorphism on the group of order r (BN254's Fr).</summary>
    public GlvDecomposition(BigInteger lambda)
    {
        Lambda = lambda;
        // A short basis from the extended Euclidean algorithm on (r, λ), stopped at √r.
        var r = Bn254Fr.Modulus;
        var root = new BigInteger(Math.Sqrt((double)r));
        BigInteger r0 = r, r1 = lambda, t0 = 0, t1 = 1;
        while (r1 >= root)
        {
            var q = BigInteger.Divide(r0, r1);
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0 - q * t1);
        }
        (_a1, _b1) = (r1, -t1);
        var q2 = BigInteger.Divide(r0, r1);
        BigInteger r2 = r0 - q2 * r1, t2 = t0 - q2 * t1;
        (_a2, _b2) = r0 * r0 + t0 * t0 <= r2 * r2 + t2 * t2 ? (r0, -t0) : (r2, -t2);
        // The basis' determinant is ±r; the rounding divides by it with its sign.
        _sign = (_a1 * _b2 - _a2 * _b1).Sign;

        var v1 = _sign * _b2;
        var v2 = -_sign * _b1;
        (_g1a, _g1b, _g1c) = Limbs3((BigInteger.Abs(v1) << 256) / r);
        (_g2a, _g2b, _g2c) = Limbs3((BigInteger.Abs(v2) << 256) / r);
        _negC1 = v1.Sign < 0;
        _negC2 = v2.Sign < 0;
        _ma1 = Mod128(_a1); _mb1 = Mod128(_b1); _ma2 = Mod128(_a2); _mb2 = Mod128(_b2);
        // The estimate is within 3/4 of the exact quotient (k < 2^254), so |k₁| <= 3/4 (|a₁| + |a₂|) and |k₂| likewise.
        var limit = BigInteger.One << 127;
        HasFixedWidth = 3 * (BigInteger.Abs(_a1) + BigInteger.Abs(_a2)) < 4 * limit && 3 * (BigInteger.Abs(_b1) + BigInteger.Abs(_b2)) < 4 * limit
            && BigInteger.Abs(v1) < limit && BigInteger.Abs(v2) < limit;
    }

    /// <summary>The eigenvalue λ.</summary>
    public BigInteger Lambda { get; }

    /// <summary>k₁, k₂ with k ≡ k₁ + k₂λ (mod r), exact rounding.</summary>
    public (BigInteger K1, BigInteger K2) Decompose(BigInteger k)
    {
        var c1 = RoundDivide(_sign * _b2 * k);
        var c2 = RoundDivide(-_sign * _b1 * k);
        return (k - c1 * _a1 - c2 * _a2, -c1 * _b1 - c2 * _b2);
    }

    /// <summary>
    /// The fixed-width decomposition of the canonical k = l0 + 2^64 l1 + 2^128 l2 + 2^192 l3 (k &lt; r): k ≡ k₁ + k₂λ (mod r).
    /// Only valid when <see cref="HasFixedWidth"/>.
    /// </summary>
    public void DecomposeFixedWidth(ulong l0, ulong l1, ulong l2, ulong l3, out Int128 k1, out Int128 k2)
    {
        var c1 = MulHighRounded(l0, l1, l2, l3, _g1a, _g1b, _g1c);
        var c2 = MulHighRounded(l0, l1, l2, l3, _g2a, _g2b, _g2c);
        if (_negC1) c1 = 0 - c1;
        if (_negC2) c2 = 0 - c2;
        // Everything modulo 2^128: the true k₁, k₂ are below 2^127 in magnitude, so the two's complement reading is exact.
        var k = new UInt128(l1, l0);
        k1 = (Int128)(k - c1 * _ma1 - c2 * _ma2);
        k2 = (Int128)(0 - c1 * _mb1 - c2 * _mb2);
    }

    // round((k · g) / 2^256) for k of 4 limbs and g of 3 limbs; the result is below 2^128.
    private static UInt128 MulHighRounded(ulong k0, ulong k1, ulong k2, ulong k3, ulong g0, ulong g1, ulong g2)
    {
        Span<ulong> t = stackalloc ulong[8];
        ReadOnlySpan<ulong> k = [k0, k1, k2, k3];
        ReadOnlySpan<ulong> g = [g0, g1, g2];
        for (int i = 0; i < 4; i++)
        {
            ulong carry = 0;
            for (int j = 0; j < 3; j++)
            {
                ulong hi = Math.BigMul(k[i], g[j], out ulong lo);
                ulong sum = t[i + j] + lo;
                hi += sum < lo ? 1UL : 0UL;
                sum += carry;
                hi += sum < carry ? 1UL : 0UL;
                t[i + j] = sum;
                carry = hi;
            }
            t[i + 3] = carry;
        }
        // + 2^255 then take bits 256..383.
        ulong t3 = t[3] + (1UL << 63);
        ulong up = t3 < t[3] ? 1UL : 0UL;
        ulong r0 = t[4] + up;
        ulong r1 = t[5] + (r0 < up ? 1UL : 0UL);
        return new UInt128(r1, r0);
    }

    private static (ulong, ulong, ulong) Limbs3(BigInteger v)
    {
        var mask = ulong.MaxValue;
        return ((ulong)(v & mask), (ulong)((v >> 64) & mask), (ulong)((v >> 128) & mask));
    }

    private static UInt128 Mod128(BigInteger v)
    {
        var m = v & ((BigInteger.One << 128) - 1); // two's complement for negative v
        return new UInt128((ulong)(m >> 64), (ulong)(m & ulong.MaxValue));
    }

    // round(x / r), ties away from zero.
    private static BigInteger RoundDivide(BigInteger x)
    {
        var r = Bn254Fr.Modulus;
        var q = BigInteger.DivRem(x, r, out var rem);
        if (2 * rem >= r) q += 1;
        else if (2 * rem <= -r) q -= 1;
        return q;
    }

    /// <summary>BN254 G1's endomorphism φ(x, y) = (βx, y), β a cube root of unity in Fq, with its eigenvalue's decomposition.</summary>
    // Which cube roots match (λ the second root mod r for β the first mod q; β' = β² on G2) was found by scalar
    // multiplications, too slow for every process's start (~3 ms of a 2^11 proof); the tests redo them. The roots
    // themselves are constants too (two BigInteger powers at every start were ~0.5 ms of a 2^11 proof's CPU); a test
    // recomputes them by CubeRootsOfUnity.
    public static (Bn254Fq Beta, GlvDecomposition Decomposition) G1 { get; } =
        (Bn254Fq.FromBigInteger(BigInteger.Parse(BetaDecimal, System.Globalization.CultureInfo.InvariantCulture)),
         new GlvDecomposition(BigInteger.Parse(LambdaDecimal, System.Globalization.CultureInfo.InvariantCulture)));

    private const int LambdaRoot = 1;

    /// <summary><see cref="CubeRootsOfUnity"/>(q)[0]: β.</summary>
    internal const string BetaDecimal = "21888242871839275220042445260109153167277707414472061641714758635765020556616";

    /// <summary><see cref="CubeRootsOfUnity"/>(r)[<see cref="LambdaRoot"/>]: λ.</summary>
    internal const string LambdaDecimal = "21888242871839275217838484774961031246154997185409878258781734729429964517155";

    /// <summary>Which of <see cref="CubeRootsOfUnity"/>(r) is λ (tests).</summary>
    internal static int LambdaRootIndex => LambdaRoot;

    /// <summary>
    /// The cube root of unity β' in Fq (β or β², as an Fq2) with (β'x, y) = [λ]P on G2, λ the eigenvalue of
    /// <see cref="G1"/>'s decomposition, so G2 scalars split by the same decomposition (the twist also has a = 0).
    /// </summary>
    public static Fq2 G2Beta { get; } = new(G1.Beta * G1.Beta, Bn254Fq.Zero);

    /// <summary>The two non-trivial cube roots of unity modulo a prime m ≡ 1 (mod 3).</summary>
    public static BigInteger[] CubeRootsOfUnity(BigInteger m)
    {
        for (int g = 2; ; g++)
        {
            var w = BigInteger.ModPow(g, (m - 1) / 3, m);
            if (!w.IsOne) return [w, w * w % m];
        }
    }
}
