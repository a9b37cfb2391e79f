using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZkMl.Field;

/// <summary>
/// Variable-time inversion in a 256-bit Montgomery field by Kaliski's binary almost-inverse (a^-1 2^k by shifts and
/// subtractions, runs of zero bits shifted at once), then one Montgomery product by 2^(768-k) from a table: a few
/// hundred limb operations against Fermat's ~380 field products. Only for public values (its time depends on a).
/// </summary>
internal static class Mont256Inverse<TConfig> where TConfig : struct, IMont256Config
{
    // 2^e mod p for e in [0, 768), canonical.
    private static readonly ulong[] PowersOfTwo = BuildPowers();

    private static ulong[] BuildPowers()
    {
        var table = new ulong[768 * 4];
        var power = BigInteger.One;
        for (int e = 0; e < 768; e++)
        {
            Mont256.FromBigInteger(power, out table[4 * e], out table[4 * e + 1], out table[4 * e + 2], out table[4 * e + 3]);
            power <<= 1; // doubling, not a ModPow per entry: the table is built in every process that inverts
            if (power >= TConfig.Modulus) power -= TConfig.Modulus;
        }
        return table;
    }

    /// <summary>The Montgomery form of (x/R)^-1 for Montgomery limbs x of a nonzero element.</summary>
    public static void Invert(ulong a0, ulong a1, ulong a2, ulong a3, out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        // Invariants: p = u s + v r, 0 < s, r < 2p < 2^255; each step halves u or v and doubles r or s (k counts them).
        ulong u0 = TConfig.P0, u1 = TConfig.P1, u2 = TConfig.P2, u3 = TConfig.P3;
        ulong v0 = a0, v1 = a1, v2 = a2, v3 = a3;
        ulong x0 = 0, x1 = 0, x2 = 0, x3 = 0; // r
        ulong y0 = 1, y1 = 0, y2 = 0, y3 = 0; // s
        int k = 0;
        while ((v0 | v1 | v2 | v3) != 0)
        {
            if ((u0 & 1) == 0)
            {
                int t = u0 == 0 ? 63 : BitOperations.TrailingZeroCount(u0);
                ShiftRight(ref u0, ref u1, ref u2, ref u3, t);
                ShiftLeft(ref y0, ref y1, ref y2, ref y3, t);
                k += t;
            }
            else if ((v0 & 1) == 0)
            {
                int t = v0 == 0 ? 63 : BitOperations.TrailingZeroCount(v0);
                ShiftRight(ref v0, ref v1, ref v2, ref v3, t);
                ShiftLeft(ref x0, ref x1, ref x2, ref x3, t);
                k += t;
            }
            else if (Greater(u0, u1, u2, u3, v0, v1, v2, v3))
            {
                Sub(ref u0, ref u1, ref u2, ref u3, v0, v1, v2, v3);
                ShiftRight(ref u0, ref u1, ref u2, ref u3, 1);
                Add(ref x0, ref x1, ref x2, ref x3, y0, y1, y2, y3);
                ShiftLeft(ref y0, ref y1, ref y2, ref y3, 1);
                k++;
            }
            else
            {
                Sub(ref v0, ref v1, ref v2, ref v3, u0, u1, u2, u3);
                ShiftRight(ref v0, ref v1, ref v2, ref v3, 1);
                Add(ref y0, ref y1, ref y2, ref y3, x0, x1, x2, x3);
                ShiftLeft(ref x0, ref x1, ref x2, ref x3, 1);
                k++;
            }
        }
        // r < 2p: reduce once, then p - r = a^-1 2^k mod p.
        if (!Mont256.LessThan(x0, x1, x2, x3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3))
            Sub(ref x0, ref x1, ref x2, ref x3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3);
        ulong z0 = TConfig.P0, z1 = TConfig.P1, z2 = TConfig.P2, z3 = TConfig.P3;
        Sub(ref z0, ref z1, ref z2, ref z3, x0, x1, x2, x3);
        // z = x^-1 2^k with x = aR; a^-1 R = z 2^(768-k) / R, one Montgomery product (k < 512 for a 254-bit p).
        int e = 4 * (768 - k);
        var table = PowersOfTwo;
        Mont256.Mul(z0, z1, z2, z3, table[e], table[e + 1], table[e + 2], table[e + 3],
            TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv, out r0, out r1, out r2, out r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Greater(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3) =>
        a3 != b3 ? a3 > b3 : a2 != b2 ? a2 > b2 : a1 != b1 ? a1 > b1 : a0 > b0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRight(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, int t)
    {
        a0 = (a0 >> t) | (a1 << (64 - t));
        a1 = (a1 >> t) | (a2 << (64 - t));
        a2 = (a2 >> t) | (a3 << (64 - t));
        a3 >>= t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftLeft(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, int t)
    {
        a3 = (a3 << t) | (a2 >> (64 - t));
        a2 = (a2 << t) | (a1 >> (64 - t));
        a1 = (a1 << t) | (a0 >> (64 - t));
        a0 <<= t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, ulong b0, ulong b1, ulong b2, ulong b3)
    {
        UInt128 s = (UInt128)a0 + b0;
        a0 = (ulong)s;
        s = (s >> 64) + a1 + b1;
        a1 = (ulong)s;
        s = (s >> 64) + a2 + b2;
        a2 = (ulong)s;
        a3 = (ulong)(s >> 64) + a3 + b3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sub(ref ulong a0, ref ulong a1, ref ulong a2, ref ulong a3, ulong b0, ulong b1, ulong b2, ulong b3)
    {
        ulong borrow = a0 < b0 ? 1UL : 0UL;
        a0 -= b0;
        ulong d = a1 - b1;
        ulong nb = (a1 < b1 ? 1UL : 0UL) | (d < borrow ? 1UL : 0UL);
        a1 = d - borrow;
        borrow = nb;
        d = a2 - b2;
        nb = (a2 < b2 ? 1UL : 0UL) | (d < borrow ? 1UL : 0UL);
        a2 = d - borrow;
        borrow = nb;
        a3 = a3 - b3 - borrow;
    }
}
