using System.Numerics;
using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Snark.Msm;

// The product is unrolled limb by limb on purpose (hot MSM path), hence the repeated shapes.
/// <summary>
/// The lane-wise Montgomery product of <see cref="FqVector8"/> (AVX-512) and <see cref="FqVector4"/> (AVX2), written once:
/// nine 29-bit limbs per element, R' = 2^261, <typeparamref name="TOps"/> giving the width. Only the product is shared;
/// the cheap per-limb operations stay written per width, because as generic calls they exhausted the JIT's inline budget
/// in the batch adders' loops (benchmarks/RESULTS.md, the s16-lanes section), while this one is called, not inlined.
/// </summary>
/// <typeparam name="TSelf">The lane type (<see cref="FqVector8"/>, <see cref="FqVector4"/>): nine limb vectors in a row.</typeparam>
/// <typeparam name="TVec">The vector of 64-bit lanes (<c>Vector512&lt;ulong&gt;</c> or <c>Vector256&lt;ulong&gt;</c>).</typeparam>
/// <typeparam name="TOps">The operations on <typeparamref name="TVec"/> (<see cref="Avx512Lanes"/>, <see cref="Avx2Lanes"/>).</typeparam>
internal static class LaneProduct<TSelf, TVec, TOps>
    where TSelf : struct, ILaneLimbs<TSelf, TVec>
    where TVec : struct
    where TOps : struct, ILaneOps<TVec>
{
    private const int LimbBits = 29;
    private const ulong LimbMask = (1UL << LimbBits) - 1;

    private static readonly BigInteger Q = Bn254Fq.Modulus;
    private static readonly ulong PInv29 = (ulong)(BigInteger.Pow(2, LimbBits) - BigInteger.ModPow(Q, BigInteger.Pow(2, LimbBits - 1) - 1, BigInteger.Pow(2, LimbBits)));
    private static readonly TVec P0 = Limb(0), P1 = Limb(1), P2 = Limb(2), P3 = Limb(3), P4 = Limb(4),
        P5 = Limb(5), P6 = Limb(6), P7 = Limb(7), P8 = Limb(8);

    private static TVec Limb(int j) => TOps.Create((ulong)((Q >> (LimbBits * j)) & LimbMask));

    /// <summary>
    /// Lane-wise Montgomery product a*b/2^261 (CIOS over nine 29-bit limbs, carries deferred in the 64-bit lanes), with
    /// normalized limbs; the value is below 2p whenever (a/p)(b/p) &lt; 2^261/p (about 168). Fully unrolled: the ten
    /// accumulators rotate names instead of shifting.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // big: called, and optimized from the first call
    public static TSelf Mul(in TSelf a, in TSelf b)
    {
        ref TVec la = ref Unsafe.As<TSelf, TVec>(ref Unsafe.AsRef(in a));
        ref TVec lb = ref Unsafe.As<TSelf, TVec>(ref Unsafe.AsRef(in b));
        var mask = TOps.Create(LimbMask);
        var inv = TOps.Create(PInv29);
        var a0 = Unsafe.Add(ref la, 0);
        var a1 = Unsafe.Add(ref la, 1);
        var a2 = Unsafe.Add(ref la, 2);
        var a3 = Unsafe.Add(ref la, 3);
        var a4 = Unsafe.Add(ref la, 4);
        var a5 = Unsafe.Add(ref la, 5);
        var a6 = Unsafe.Add(ref la, 6);
        var a7 = Unsafe.Add(ref la, 7);
        var a8 = Unsafe.Add(ref la, 8);
        TVec t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, bi, m;
        bi = Unsafe.Add(ref lb, 0);
        t0 = TOps.MulEven(a0, bi);
        t1 = TOps.MulEven(a1, bi);
        t2 = TOps.MulEven(a2, bi);
        t3 = TOps.MulEven(a3, bi);
        t4 = TOps.MulEven(a4, bi);
        t5 = TOps.MulEven(a5, bi);
        t6 = TOps.MulEven(a6, bi);
        t7 = TOps.MulEven(a7, bi);
        t8 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t0, inv), mask);
        t0 = TOps.Add(t0, TOps.MulEven(m, P0));
        t1 = TOps.Add(t1, TOps.MulEven(m, P1));
        t2 = TOps.Add(t2, TOps.MulEven(m, P2));
        t3 = TOps.Add(t3, TOps.MulEven(m, P3));
        t4 = TOps.Add(t4, TOps.MulEven(m, P4));
        t5 = TOps.Add(t5, TOps.MulEven(m, P5));
        t6 = TOps.Add(t6, TOps.MulEven(m, P6));
        t7 = TOps.Add(t7, TOps.MulEven(m, P7));
        t8 = TOps.Add(t8, TOps.MulEven(m, P8));
        t1 = TOps.Add(t1, TOps.ShiftRight(t0, LimbBits));
        bi = Unsafe.Add(ref lb, 1);
        t1 = TOps.Add(t1, TOps.MulEven(a0, bi));
        t2 = TOps.Add(t2, TOps.MulEven(a1, bi));
        t3 = TOps.Add(t3, TOps.MulEven(a2, bi));
        t4 = TOps.Add(t4, TOps.MulEven(a3, bi));
        t5 = TOps.Add(t5, TOps.MulEven(a4, bi));
        t6 = TOps.Add(t6, TOps.MulEven(a5, bi));
        t7 = TOps.Add(t7, TOps.MulEven(a6, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a7, bi));
        t9 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t1, inv), mask);
        t1 = TOps.Add(t1, TOps.MulEven(m, P0));
        t2 = TOps.Add(t2, TOps.MulEven(m, P1));
        t3 = TOps.Add(t3, TOps.MulEven(m, P2));
        t4 = TOps.Add(t4, TOps.MulEven(m, P3));
        t5 = TOps.Add(t5, TOps.MulEven(m, P4));
        t6 = TOps.Add(t6, TOps.MulEven(m, P5));
        t7 = TOps.Add(t7, TOps.MulEven(m, P6));
        t8 = TOps.Add(t8, TOps.MulEven(m, P7));
        t9 = TOps.Add(t9, TOps.MulEven(m, P8));
        t2 = TOps.Add(t2, TOps.ShiftRight(t1, LimbBits));
        bi = Unsafe.Add(ref lb, 2);
        t2 = TOps.Add(t2, TOps.MulEven(a0, bi));
        t3 = TOps.Add(t3, TOps.MulEven(a1, bi));
        t4 = TOps.Add(t4, TOps.MulEven(a2, bi));
        t5 = TOps.Add(t5, TOps.MulEven(a3, bi));
        t6 = TOps.Add(t6, TOps.MulEven(a4, bi));
        t7 = TOps.Add(t7, TOps.MulEven(a5, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a6, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a7, bi));
        t0 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t2, inv), mask);
        t2 = TOps.Add(t2, TOps.MulEven(m, P0));
        t3 = TOps.Add(t3, TOps.MulEven(m, P1));
        t4 = TOps.Add(t4, TOps.MulEven(m, P2));
        t5 = TOps.Add(t5, TOps.MulEven(m, P3));
        t6 = TOps.Add(t6, TOps.MulEven(m, P4));
        t7 = TOps.Add(t7, TOps.MulEven(m, P5));
        t8 = TOps.Add(t8, TOps.MulEven(m, P6));
        t9 = TOps.Add(t9, TOps.MulEven(m, P7));
        t0 = TOps.Add(t0, TOps.MulEven(m, P8));
        t3 = TOps.Add(t3, TOps.ShiftRight(t2, LimbBits));
        bi = Unsafe.Add(ref lb, 3);
        t3 = TOps.Add(t3, TOps.MulEven(a0, bi));
        t4 = TOps.Add(t4, TOps.MulEven(a1, bi));
        t5 = TOps.Add(t5, TOps.MulEven(a2, bi));
        t6 = TOps.Add(t6, TOps.MulEven(a3, bi));
        t7 = TOps.Add(t7, TOps.MulEven(a4, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a5, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a6, bi));
        t0 = TOps.Add(t0, TOps.MulEven(a7, bi));
        t1 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t3, inv), mask);
        t3 = TOps.Add(t3, TOps.MulEven(m, P0));
        t4 = TOps.Add(t4, TOps.MulEven(m, P1));
        t5 = TOps.Add(t5, TOps.MulEven(m, P2));
        t6 = TOps.Add(t6, TOps.MulEven(m, P3));
        t7 = TOps.Add(t7, TOps.MulEven(m, P4));
        t8 = TOps.Add(t8, TOps.MulEven(m, P5));
        t9 = TOps.Add(t9, TOps.MulEven(m, P6));
        t0 = TOps.Add(t0, TOps.MulEven(m, P7));
        t1 = TOps.Add(t1, TOps.MulEven(m, P8));
        t4 = TOps.Add(t4, TOps.ShiftRight(t3, LimbBits));
        bi = Unsafe.Add(ref lb, 4);
        t4 = TOps.Add(t4, TOps.MulEven(a0, bi));
        t5 = TOps.Add(t5, TOps.MulEven(a1, bi));
        t6 = TOps.Add(t6, TOps.MulEven(a2, bi));
        t7 = TOps.Add(t7, TOps.MulEven(a3, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a4, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a5, bi));
        t0 = TOps.Add(t0, TOps.MulEven(a6, bi));
        t1 = TOps.Add(t1, TOps.MulEven(a7, bi));
        t2 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t4, inv), mask);
        t4 = TOps.Add(t4, TOps.MulEven(m, P0));
        t5 = TOps.Add(t5, TOps.MulEven(m, P1));
        t6 = TOps.Add(t6, TOps.MulEven(m, P2));
        t7 = TOps.Add(t7, TOps.MulEven(m, P3));
        t8 = TOps.Add(t8, TOps.MulEven(m, P4));
        t9 = TOps.Add(t9, TOps.MulEven(m, P5));
        t0 = TOps.Add(t0, TOps.MulEven(m, P6));
        t1 = TOps.Add(t1, TOps.MulEven(m, P7));
        t2 = TOps.Add(t2, TOps.MulEven(m, P8));
        t5 = TOps.Add(t5, TOps.ShiftRight(t4, LimbBits));
        bi = Unsafe.Add(ref lb, 5);
        t5 = TOps.Add(t5, TOps.MulEven(a0, bi));
        t6 = TOps.Add(t6, TOps.MulEven(a1, bi));
        t7 = TOps.Add(t7, TOps.MulEven(a2, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a3, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a4, bi));
        t0 = TOps.Add(t0, TOps.MulEven(a5, bi));
        t1 = TOps.Add(t1, TOps.MulEven(a6, bi));
        t2 = TOps.Add(t2, TOps.MulEven(a7, bi));
        t3 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t5, inv), mask);
        t5 = TOps.Add(t5, TOps.MulEven(m, P0));
        t6 = TOps.Add(t6, TOps.MulEven(m, P1));
        t7 = TOps.Add(t7, TOps.MulEven(m, P2));
        t8 = TOps.Add(t8, TOps.MulEven(m, P3));
        t9 = TOps.Add(t9, TOps.MulEven(m, P4));
        t0 = TOps.Add(t0, TOps.MulEven(m, P5));
        t1 = TOps.Add(t1, TOps.MulEven(m, P6));
        t2 = TOps.Add(t2, TOps.MulEven(m, P7));
        t3 = TOps.Add(t3, TOps.MulEven(m, P8));
        t6 = TOps.Add(t6, TOps.ShiftRight(t5, LimbBits));
        bi = Unsafe.Add(ref lb, 6);
        t6 = TOps.Add(t6, TOps.MulEven(a0, bi));
        t7 = TOps.Add(t7, TOps.MulEven(a1, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a2, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a3, bi));
        t0 = TOps.Add(t0, TOps.MulEven(a4, bi));
        t1 = TOps.Add(t1, TOps.MulEven(a5, bi));
        t2 = TOps.Add(t2, TOps.MulEven(a6, bi));
        t3 = TOps.Add(t3, TOps.MulEven(a7, bi));
        t4 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t6, inv), mask);
        t6 = TOps.Add(t6, TOps.MulEven(m, P0));
        t7 = TOps.Add(t7, TOps.MulEven(m, P1));
        t8 = TOps.Add(t8, TOps.MulEven(m, P2));
        t9 = TOps.Add(t9, TOps.MulEven(m, P3));
        t0 = TOps.Add(t0, TOps.MulEven(m, P4));
        t1 = TOps.Add(t1, TOps.MulEven(m, P5));
        t2 = TOps.Add(t2, TOps.MulEven(m, P6));
        t3 = TOps.Add(t3, TOps.MulEven(m, P7));
        t4 = TOps.Add(t4, TOps.MulEven(m, P8));
        t7 = TOps.Add(t7, TOps.ShiftRight(t6, LimbBits));
        bi = Unsafe.Add(ref lb, 7);
        t7 = TOps.Add(t7, TOps.MulEven(a0, bi));
        t8 = TOps.Add(t8, TOps.MulEven(a1, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a2, bi));
        t0 = TOps.Add(t0, TOps.MulEven(a3, bi));
        t1 = TOps.Add(t1, TOps.MulEven(a4, bi));
        t2 = TOps.Add(t2, TOps.MulEven(a5, bi));
        t3 = TOps.Add(t3, TOps.MulEven(a6, bi));
        t4 = TOps.Add(t4, TOps.MulEven(a7, bi));
        t5 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t7, inv), mask);
        t7 = TOps.Add(t7, TOps.MulEven(m, P0));
        t8 = TOps.Add(t8, TOps.MulEven(m, P1));
        t9 = TOps.Add(t9, TOps.MulEven(m, P2));
        t0 = TOps.Add(t0, TOps.MulEven(m, P3));
        t1 = TOps.Add(t1, TOps.MulEven(m, P4));
        t2 = TOps.Add(t2, TOps.MulEven(m, P5));
        t3 = TOps.Add(t3, TOps.MulEven(m, P6));
        t4 = TOps.Add(t4, TOps.MulEven(m, P7));
        t5 = TOps.Add(t5, TOps.MulEven(m, P8));
        t8 = TOps.Add(t8, TOps.ShiftRight(t7, LimbBits));
        bi = Unsafe.Add(ref lb, 8);
        t8 = TOps.Add(t8, TOps.MulEven(a0, bi));
        t9 = TOps.Add(t9, TOps.MulEven(a1, bi));
        t0 = TOps.Add(t0, TOps.MulEven(a2, bi));
        t1 = TOps.Add(t1, TOps.MulEven(a3, bi));
        t2 = TOps.Add(t2, TOps.MulEven(a4, bi));
        t3 = TOps.Add(t3, TOps.MulEven(a5, bi));
        t4 = TOps.Add(t4, TOps.MulEven(a6, bi));
        t5 = TOps.Add(t5, TOps.MulEven(a7, bi));
        t6 = TOps.MulEven(a8, bi);
        m = TOps.And(TOps.MulEven(t8, inv), mask);
        t8 = TOps.Add(t8, TOps.MulEven(m, P0));
        t9 = TOps.Add(t9, TOps.MulEven(m, P1));
        t0 = TOps.Add(t0, TOps.MulEven(m, P2));
        t1 = TOps.Add(t1, TOps.MulEven(m, P3));
        t2 = TOps.Add(t2, TOps.MulEven(m, P4));
        t3 = TOps.Add(t3, TOps.MulEven(m, P5));
        t4 = TOps.Add(t4, TOps.MulEven(m, P6));
        t5 = TOps.Add(t5, TOps.MulEven(m, P7));
        t6 = TOps.Add(t6, TOps.MulEven(m, P8));
        t9 = TOps.Add(t9, TOps.ShiftRight(t8, LimbBits));
        t0 = TOps.Add(t0, TOps.ShiftRight(t9, LimbBits));
        t9 = TOps.And(t9, mask);
        t1 = TOps.Add(t1, TOps.ShiftRight(t0, LimbBits));
        t0 = TOps.And(t0, mask);
        t2 = TOps.Add(t2, TOps.ShiftRight(t1, LimbBits));
        t1 = TOps.And(t1, mask);
        t3 = TOps.Add(t3, TOps.ShiftRight(t2, LimbBits));
        t2 = TOps.And(t2, mask);
        t4 = TOps.Add(t4, TOps.ShiftRight(t3, LimbBits));
        t3 = TOps.And(t3, mask);
        t5 = TOps.Add(t5, TOps.ShiftRight(t4, LimbBits));
        t4 = TOps.And(t4, mask);
        t6 = TOps.Add(t6, TOps.ShiftRight(t5, LimbBits));
        t5 = TOps.And(t5, mask);
        t7 = TOps.ShiftRight(t6, LimbBits);
        t6 = TOps.And(t6, mask);
        return TSelf.FromLimbVectors(t9, t0, t1, t2, t3, t4, t5, t6, t7);
    }
}
