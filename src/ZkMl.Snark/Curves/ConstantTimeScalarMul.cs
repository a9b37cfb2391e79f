using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>
/// Scalar multiplication whose operation sequence and memory access pattern are independent of the scalar:
/// homogeneous projective coordinates with the complete a = 0 formulas of Renes, Costello and Batina (2016, alg. 7),
/// valid for all inputs on curves without 2-torsion (both BN254 G1 and the G2 twist have odd order),
/// a fixed 4-bit window over all bits and masked table selection.
/// </summary>
internal static class ConstantTimeScalarMul<TF> where TF : struct, IField<TF>
{
    private struct Homogeneous
    {
        public TF X, Y, Z;
        public Homogeneous(TF x, TF y, TF z) { X = x; Y = y; Z = z; }
    }

    public static JacobianPoint<TF> Multiply(in JacobianPoint<TF> p, ReadOnlySpan<ulong> scalar, in TF b)
    {
        var b3 = TF.Double(b) + b;
        // Jacobian (X, Y, Z) -> homogeneous (X Z, Y, Z^3); infinity -> (0 : 1 : 0).
        var z2 = TF.Square(p.Z);
        var start = p.Z.IsZero ? new Homogeneous(TF.Zero, TF.One, TF.Zero) : new Homogeneous(p.X * p.Z, p.Y, z2 * p.Z);

        var table = new Homogeneous[16];
        table[0] = new Homogeneous(TF.Zero, TF.One, TF.Zero);
        table[1] = start;
        for (int i = 2; i < 16; i++) table[i] = AddComplete(table[i - 1], start, b3);

        var acc = table[0];
        int windows = scalar.Length * 16;
        for (int w = windows - 1; w >= 0; w--)
        {
            for (int d = 0; d < 4; d++) acc = AddComplete(acc, acc, b3);
            ulong digit = (scalar[w >> 4] >> (4 * (w & 15))) & 0xF;
            var chosen = table[0];
            for (int i = 1; i < 16; i++)
            {
                ulong mask = (ulong)((long)((digit ^ (ulong)i) - 1) >> 63);
                Select(ref chosen, table[i], mask);
            }
            acc = AddComplete(acc, chosen, b3);
        }
        // Homogeneous (X : Y : Z) -> Jacobian (X Z, Y Z^2, Z).
        var zz = TF.Square(acc.Z);
        return new JacobianPoint<TF>(acc.X * acc.Z, acc.Y * zz, acc.Z);
    }

    /// <summary>RCB algorithm 7 (complete addition, a = 0); also correct for doubling.</summary>
    private static Homogeneous AddComplete(in Homogeneous p, in Homogeneous q, in TF b3)
    {
        var t0 = p.X * q.X;
        var t1 = p.Y * q.Y;
        var t2 = p.Z * q.Z;
        var t3 = (p.X + p.Y) * (q.X + q.Y);
        var t4 = t0 + t1;
        t3 -= t4;
        t4 = (p.Y + p.Z) * (q.Y + q.Z);
        var x3 = t1 + t2;
        t4 -= x3;
        x3 = (p.X + p.Z) * (q.X + q.Z);
        var y3 = t0 + t2;
        y3 = x3 - y3;
        x3 = t0 + t0;
        t0 = x3 + t0;
        t2 = b3 * t2;
        var z3 = t1 + t2;
        t1 -= t2;
        y3 = b3 * y3;
        x3 = t4 * y3;
        t2 = t3 * t1;
        x3 = t2 - x3;
        y3 *= t0;
        t1 *= z3;
        y3 = t1 + y3;
        t0 *= t3;
        z3 *= t4;
        z3 += t0;
        return new Homogeneous(x3, y3, z3);
    }

    private static void Select(ref Homogeneous dst, in Homogeneous src, ulong mask)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<TF>() || Unsafe.SizeOf<TF>() % 8 != 0)
        {
            // Managed field types cannot be masked bitwise; fall back to a branch (not constant time).
            if (mask != 0) dst = src;
            return;
        }
        int words = 3 * Unsafe.SizeOf<TF>() / 8;
        var d = MemoryMarshal.CreateSpan(ref Unsafe.As<Homogeneous, ulong>(ref dst), words);
        var s = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Homogeneous, ulong>(ref Unsafe.AsRef(in src)), words);
        for (int i = 0; i < words; i++) d[i] ^= (d[i] ^ s[i]) & mask;
    }
}
