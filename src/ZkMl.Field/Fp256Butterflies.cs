using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// Lazy (Harvey) NTT butterflies for <see cref="Fp256{TConfig}"/>: values inside a transform are not kept canonical.
/// DIT stages take and give values in [0, 4p), DIF stages in [0, 2p); each butterfly does one conditional subtraction
/// of 2p instead of the three reductions of a canonical multiply, add and subtract, and <see cref="Normalize"/>
/// brings the result back to [0, p) once at the end. The bounds need 4p &lt; 2^256 (p &lt; 2^254, true of both BN254 moduli).
/// </summary>
internal static class Fp256Butterflies<TConfig> where TConfig : struct, IMont256Config
{
    private static ulong Q0 => TConfig.P0 << 1;
    private static ulong Q1 => (TConfig.P1 << 1) | (TConfig.P0 >> 63);
    private static ulong Q2 => (TConfig.P2 << 1) | (TConfig.P1 >> 63);
    private static ulong Q3 => (TConfig.P3 << 1) | (TConfig.P2 >> 63);

    /// <summary>x in [0, 4p), y in [0, 4p), w canonical: (x, y) becomes (x + wy, x - wy + 2p), both in [0, 4p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DitRun(ref Fp256<TConfig> x, ref Fp256<TConfig> y, ref Fp256<TConfig> w, int count)
    {
        int k = 0;
        if (Fp256Vector512<TConfig>.IsSupported)
            for (; k + 8 <= count; k += 8)
                Fp256Vector512<TConfig>.DitButterfly8(ref Limbs(ref Unsafe.Add(ref x, k)), ref Limbs(ref Unsafe.Add(ref y, k)), ref Limbs(ref Unsafe.Add(ref w, k)));
        if (Fp256Vector<TConfig>.IsSupported)
            for (; k + 4 <= count; k += 4)
                Fp256Vector<TConfig>.DitButterfly4(ref Limbs(ref Unsafe.Add(ref x, k)), ref Limbs(ref Unsafe.Add(ref y, k)), ref Limbs(ref Unsafe.Add(ref w, k)));
        for (; k < count; k++)
        {
            ref Fp256<TConfig> yk = ref Unsafe.Add(ref y, k);
            ref Fp256<TConfig> wk = ref Unsafe.Add(ref w, k);
            Mont256.MulLazy(yk.L0, yk.L1, yk.L2, yk.L3, wk.L0, wk.L1, wk.L2, wk.L3,
                TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv, out ulong v0, out ulong v1, out ulong v2, out ulong v3);
            yk = new(v0, v1, v2, v3);
            DitCombine(ref Unsafe.Add(ref x, k), ref yk);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref ulong Limbs(ref Fp256<TConfig> value) => ref Unsafe.As<Fp256<TConfig>, ulong>(ref value);

    /// <summary>x in [0, 4p), v = wy in [0, 2p) (held in y): (x, y) becomes (x + v, x - v + 2p) with x first reduced below 2p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DitCombine(ref Fp256<TConfig> x, ref Fp256<TConfig> v)
    {
        Mont256.ReduceOnce(x.L0, x.L1, x.L2, x.L3, Q0, Q1, Q2, Q3, out ulong u0, out ulong u1, out ulong u2, out ulong u3);
        Mont256.AddRaw(u0, u1, u2, u3, v.L0, v.L1, v.L2, v.L3, out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        Mont256.AddRaw(u0, u1, u2, u3, Q0, Q1, Q2, Q3, out u0, out u1, out u2, out u3);
        Mont256.SubRaw(u0, u1, u2, u3, v.L0, v.L1, v.L2, v.L3, out ulong d0, out ulong d1, out ulong d2, out ulong d3);
        x = new(s0, s1, s2, s3);
        v = new(d0, d1, d2, d3);
    }

    /// <summary>First DIT stage, twiddle one, inputs in [0, 2p): (x, y) becomes (x + y, x - y + 2p), both in [0, 4p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DitRunUnit(ref Fp256<TConfig> x, ref Fp256<TConfig> y, int count)
    {
        for (int k = 0; k < count; k++)
        {
            ref Fp256<TConfig> xk = ref Unsafe.Add(ref x, k);
            ref Fp256<TConfig> yk = ref Unsafe.Add(ref y, k);
            Mont256.AddRaw(xk.L0, xk.L1, xk.L2, xk.L3, yk.L0, yk.L1, yk.L2, yk.L3, out ulong s0, out ulong s1, out ulong s2, out ulong s3);
            Mont256.AddRaw(xk.L0, xk.L1, xk.L2, xk.L3, Q0, Q1, Q2, Q3, out ulong u0, out ulong u1, out ulong u2, out ulong u3);
            Mont256.SubRaw(u0, u1, u2, u3, yk.L0, yk.L1, yk.L2, yk.L3, out ulong d0, out ulong d1, out ulong d2, out ulong d3);
            xk = new(s0, s1, s2, s3);
            yk = new(d0, d1, d2, d3);
        }
    }

    /// <summary>x, y in [0, 2p), w canonical: (x, y) becomes (x + y, (x - y + 2p) w), both in [0, 2p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DifRun(ref Fp256<TConfig> x, ref Fp256<TConfig> y, ref Fp256<TConfig> w, int count)
    {
        int k = 0;
        if (Fp256Vector512<TConfig>.IsSupported)
            for (; k + 8 <= count; k += 8)
                Fp256Vector512<TConfig>.DifButterfly8(ref Limbs(ref Unsafe.Add(ref x, k)), ref Limbs(ref Unsafe.Add(ref y, k)), ref Limbs(ref Unsafe.Add(ref w, k)));
        if (Fp256Vector<TConfig>.IsSupported)
            for (; k + 4 <= count; k += 4)
                Fp256Vector<TConfig>.DifButterfly4(ref Limbs(ref Unsafe.Add(ref x, k)), ref Limbs(ref Unsafe.Add(ref y, k)), ref Limbs(ref Unsafe.Add(ref w, k)));
        for (; k < count; k++)
        {
            ref Fp256<TConfig> yk = ref Unsafe.Add(ref y, k);
            ref Fp256<TConfig> wk = ref Unsafe.Add(ref w, k);
            DifSplit(ref Unsafe.Add(ref x, k), ref yk);
            Mont256.MulLazy(yk.L0, yk.L1, yk.L2, yk.L3, wk.L0, wk.L1, wk.L2, wk.L3,
                TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv, out ulong d0, out ulong d1, out ulong d2, out ulong d3);
            yk = new(d0, d1, d2, d3);
        }
    }

    /// <summary>x, y in [0, 2p): (x, y) becomes (x + y reduced below 2p, x - y + 2p in (0, 4p)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DifSplit(ref Fp256<TConfig> x, ref Fp256<TConfig> y)
    {
        Mont256.AddRaw(x.L0, x.L1, x.L2, x.L3, y.L0, y.L1, y.L2, y.L3, out ulong s0, out ulong s1, out ulong s2, out ulong s3);
        Mont256.AddRaw(x.L0, x.L1, x.L2, x.L3, Q0, Q1, Q2, Q3, out ulong u0, out ulong u1, out ulong u2, out ulong u3);
        Mont256.SubRaw(u0, u1, u2, u3, y.L0, y.L1, y.L2, y.L3, out ulong d0, out ulong d1, out ulong d2, out ulong d3);
        Mont256.ReduceOnce(s0, s1, s2, s3, Q0, Q1, Q2, Q3, out s0, out s1, out s2, out s3);
        x = new(s0, s1, s2, s3);
        y = new(d0, d1, d2, d3);
    }

    /// <summary>Last DIF stage, twiddle one, inputs in [0, 2p): (x, y) becomes (x + y, x - y + 2p), each reduced below 2p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DifRunUnit(ref Fp256<TConfig> x, ref Fp256<TConfig> y, int count)
    {
        for (int k = 0; k < count; k++)
        {
            ref Fp256<TConfig> xk = ref Unsafe.Add(ref x, k);
            ref Fp256<TConfig> yk = ref Unsafe.Add(ref y, k);
            Mont256.AddRaw(xk.L0, xk.L1, xk.L2, xk.L3, yk.L0, yk.L1, yk.L2, yk.L3, out ulong s0, out ulong s1, out ulong s2, out ulong s3);
            Mont256.AddRaw(xk.L0, xk.L1, xk.L2, xk.L3, Q0, Q1, Q2, Q3, out ulong u0, out ulong u1, out ulong u2, out ulong u3);
            Mont256.SubRaw(u0, u1, u2, u3, yk.L0, yk.L1, yk.L2, yk.L3, out ulong d0, out ulong d1, out ulong d2, out ulong d3);
            Mont256.ReduceOnce(s0, s1, s2, s3, Q0, Q1, Q2, Q3, out s0, out s1, out s2, out s3);
            Mont256.ReduceOnce(d0, d1, d2, d3, Q0, Q1, Q2, Q3, out d0, out d1, out d2, out d3);
            xk = new(s0, s1, s2, s3);
            yk = new(d0, d1, d2, d3);
        }
    }

    /// <summary>
    /// A block's first two DIT stages (m = 1, 2) in 16-element passes, inputs in [0, 2p), outputs in [0, 4p); n is a
    /// multiple of 16 and fourthRoot the stage m = 2 twiddle (the fourth root of unity). Needs <see cref="Fp256Vector{TConfig}.IsSupported"/>.
    /// </summary>
    public static void FirstTwoDitStages(ref Fp256<TConfig> a, int n, Fp256<TConfig> fourthRoot)
    {
        if (Fp256Vector512<TConfig>.IsSupported && n % 32 == 0)
        {
            Span<Fp256<TConfig>> roots8 = [fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot];
            ref ulong w8 = ref Limbs(ref roots8[0]);
            for (int k = 0; k < n; k += 32) Fp256Vector512<TConfig>.FirstTwoDitStages32(ref Limbs(ref Unsafe.Add(ref a, k)), ref w8);
            return;
        }
        Span<Fp256<TConfig>> roots = [fourthRoot, fourthRoot, fourthRoot, fourthRoot];
        ref ulong w = ref Limbs(ref roots[0]);
        for (int k = 0; k < n; k += 16) Fp256Vector<TConfig>.FirstTwoDitStages16(ref Limbs(ref Unsafe.Add(ref a, k)), ref w);
    }

    /// <summary>A block's last two DIF stages (m = 2, 1) in 16-element passes, inputs and outputs in [0, 2p); as <see cref="FirstTwoDitStages"/>.</summary>
    public static void LastTwoDifStages(ref Fp256<TConfig> a, int n, Fp256<TConfig> fourthRoot)
    {
        if (Fp256Vector512<TConfig>.IsSupported && n % 32 == 0)
        {
            Span<Fp256<TConfig>> roots8 = [fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot, fourthRoot];
            ref ulong w8 = ref Limbs(ref roots8[0]);
            for (int k = 0; k < n; k += 32) Fp256Vector512<TConfig>.LastTwoDifStages32(ref Limbs(ref Unsafe.Add(ref a, k)), ref w8);
            return;
        }
        Span<Fp256<TConfig>> roots = [fourthRoot, fourthRoot, fourthRoot, fourthRoot];
        ref ulong w = ref Limbs(ref roots[0]);
        for (int k = 0; k < n; k += 16) Fp256Vector<TConfig>.LastTwoDifStages16(ref Limbs(ref Unsafe.Add(ref a, k)), ref w);
    }

    /// <summary>values[i] = values[i] * factors[i], canonical in and out (eight or four lanes at a time where supported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(Span<Fp256<TConfig>> values, ReadOnlySpan<Fp256<TConfig>> factors)
    {
        ref Fp256<TConfig> a = ref MemoryMarshal.GetReference(values);
        ref Fp256<TConfig> f = ref MemoryMarshal.GetReference(factors);
        int k = 0;
        if (Fp256Vector512<TConfig>.IsSupported)
            for (; k + 8 <= values.Length; k += 8)
            {
                ref ulong ak = ref Limbs(ref Unsafe.Add(ref a, k));
                Fp256Vector512<TConfig>.Mul8(ref ak, ref Limbs(ref Unsafe.Add(ref f, k)), ref ak);
            }
        if (Fp256Vector<TConfig>.IsSupported)
            for (; k + 4 <= values.Length; k += 4)
            {
                ref ulong ak = ref Limbs(ref Unsafe.Add(ref a, k));
                Fp256Vector<TConfig>.Mul4(ref ak, ref Limbs(ref Unsafe.Add(ref f, k)), ref ak);
            }
        for (; k < values.Length; k++) Unsafe.Add(ref a, k) = Fp256<TConfig>.Mul(Unsafe.Add(ref a, k), Unsafe.Add(ref f, k));
    }

    /// <summary>
    /// values[i] *= factor * ratio^i, canonical in and out: four running factors (factor * ratio^0..3) advance by ratio^4
    /// in four lanes (eight by ratio^8 in eight lanes with AVX-512), so neither the products nor the chain of powers is a
    /// scalar multiply per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleByPowers(Span<Fp256<TConfig>> values, Fp256<TConfig> factor, Fp256<TConfig> ratio)
    {
        ref Fp256<TConfig> a = ref MemoryMarshal.GetReference(values);
        int k = 0;
        if (Fp256Vector512<TConfig>.IsSupported && values.Length >= 16)
        {
            // Eight running factors (factor * ratio^0..7) advancing by ratio^8.
            Fp256<TConfig> r2 = Fp256<TConfig>.Square(ratio), r4 = Fp256<TConfig>.Square(r2), r8 = Fp256<TConfig>.Square(r4);
            Span<Fp256<TConfig>> factors = stackalloc Fp256<TConfig>[8];
            factors[0] = factor;
            for (int i = 1; i < 8; i++) factors[i] = factors[i - 1] * ratio;
            Span<Fp256<TConfig>> step = [r8, r8, r8, r8, r8, r8, r8, r8];
            ref ulong f = ref Limbs(ref factors[0]);
            ref ulong s = ref Limbs(ref step[0]);
            for (; k + 8 <= values.Length; k += 8)
            {
                ref ulong ak = ref Limbs(ref Unsafe.Add(ref a, k));
                Fp256Vector512<TConfig>.Mul8(ref ak, ref f, ref ak);
                Fp256Vector512<TConfig>.Mul8(ref f, ref s, ref f);
            }
            factor = factors[0];
        }
        if (Fp256Vector<TConfig>.IsSupported && values.Length - k >= 8)
        {
            Fp256<TConfig> r2 = Fp256<TConfig>.Square(ratio), r4 = Fp256<TConfig>.Square(r2);
            Span<Fp256<TConfig>> factors = [factor, factor * ratio, factor * r2, factor * r2 * ratio];
            Span<Fp256<TConfig>> step = [r4, r4, r4, r4];
            ref ulong f = ref Limbs(ref factors[0]);
            ref ulong s = ref Limbs(ref step[0]);
            for (; k + 4 <= values.Length; k += 4)
            {
                ref ulong ak = ref Limbs(ref Unsafe.Add(ref a, k));
                Fp256Vector<TConfig>.Mul4(ref ak, ref f, ref ak);
                Fp256Vector<TConfig>.Mul4(ref f, ref s, ref f);
            }
            factor = factors[0];
        }
        for (; k < values.Length; k++)
        {
            ref Fp256<TConfig> v = ref Unsafe.Add(ref a, k);
            v = Fp256<TConfig>.Mul(v, factor);
            factor = Fp256<TConfig>.Mul(factor, ratio);
        }
    }

    /// <summary>Values in [0, 4p) to their canonical representatives in [0, p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalize(Span<Fp256<TConfig>> values)
    {
        ref Fp256<TConfig> a = ref MemoryMarshal.GetReference(values);
        int k = 0;
        if (Fp256Vector512<TConfig>.IsSupported)
            for (; k + 8 <= values.Length; k += 8) Fp256Vector512<TConfig>.Normalize8(ref Limbs(ref Unsafe.Add(ref a, k)));
        if (Fp256Vector<TConfig>.IsSupported)
            for (; k + 4 <= values.Length; k += 4) Fp256Vector<TConfig>.Normalize4(ref Limbs(ref Unsafe.Add(ref a, k)));
        for (; k < values.Length; k++)
        {
            ref Fp256<TConfig> v = ref Unsafe.Add(ref a, k);
            Mont256.ReduceOnce(v.L0, v.L1, v.L2, v.L3, Q0, Q1, Q2, Q3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
            Mont256.ReduceOnce(r0, r1, r2, r3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, out r0, out r1, out r2, out r3);
            v = new(r0, r1, r2, r3);
        }
    }
}
