using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ZkMl.Field;

namespace ZkMl.Snark.Msm;

// The products and reductions are unrolled limb by limb on purpose (hot MSM path), hence the repeated shapes.
/// <summary>
/// Four Bn254Fq elements side by side in AVX2 lanes: the 256-bit twin of <see cref="FqVector8"/> (same nine 29-bit limbs,
/// same Montgomery form R' = 2^261, same lazy bounds), for CPUs without AVX-512. vpmuludq on four 64-bit lanes; measured
/// 2.5-3.5x cheaper per product than the scalar Bn254Fq multiply (benchmarks/RESULTS.md, helper avx2msm). Limb arrays hold
/// limb i of value k at [4i + k]. Used by the MSM's batched affine additions (G1: <see cref="LaneBatchAdder"/>, G2: <see cref="Fq2LaneBatchAdder"/>); needs AVX2.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct FqVector4 : ILaneVector<FqVector4>, ILaneLimbs<FqVector4, Vector256<ulong>>
{
    public const int LimbBits = 29;
    public const ulong LimbMask = (1UL << LimbBits) - 1;

    public static bool IsSupported => Avx2.IsSupported;

    public static int Width => 4;

    public readonly Vector256<ulong> L0, L1, L2, L3, L4, L5, L6, L7, L8;

    public FqVector4(Vector256<ulong> l0, Vector256<ulong> l1, Vector256<ulong> l2, Vector256<ulong> l3, Vector256<ulong> l4,
        Vector256<ulong> l5, Vector256<ulong> l6, Vector256<ulong> l7, Vector256<ulong> l8)
    {
        L0 = l0; L1 = l1; L2 = l2; L3 = l3; L4 = l4; L5 = l5; L6 = l6; L7 = l7; L8 = l8;
    }

    private static readonly BigInteger Q = Bn254Fq.Modulus;

    /// <summary>Subtraction offsets kp with every limb but the top raised by 2^29 (borrowed from the next), so a - b + kp has no negative limb.</summary>
    private static readonly FqVector4 Offset2P = Offset(2), Offset8P = Offset(8), Offset16P = Offset(16);
    /// <summary>2^266 mod p: Mul(xR, this) = xR'.</summary>
    private static readonly FqVector4 ToLanesFactor = Broadcast(BigInteger.ModPow(2, 266, Q));
    /// <summary>2^256 mod p: Mul(xR', this) = xR (back to the scalar Montgomery form, below 2p).</summary>
    private static readonly FqVector4 FromLanesFactor = Broadcast(BigInteger.ModPow(2, 256, Q));
    /// <summary>kp as normalized limbs, for conditional subtraction.</summary>
    private static readonly FqVector4 Limbs1P = Broadcast(Q), Limbs2P = Broadcast(2 * Q), Limbs4P = Broadcast(4 * Q), Limbs8P = Broadcast(8 * Q),
        Limbs16P = Broadcast(16 * Q);

    private static Vector256<ulong> Limb(BigInteger x, int j) => Vector256.Create((ulong)((x >> (LimbBits * j)) & LimbMask));

    private static FqVector4 Broadcast(BigInteger x) =>
        new(Limb(x, 0), Limb(x, 1), Limb(x, 2), Limb(x, 3), Limb(x, 4), Limb(x, 5), Limb(x, 6), Limb(x, 7), Limb(x, 8));

    private static FqVector4 Offset(int k)
    {
        var x = k * Q;
        var limbs = new ulong[9];
        for (int j = 0; j < 9; j++) limbs[j] = (ulong)((x >> (LimbBits * j)) & LimbMask);
        for (int j = 0; j < 8; j++) { limbs[j] += 1UL << LimbBits; limbs[j + 1] -= 1; }
        var v = new Vector256<ulong>[9];
        for (int j = 0; j < 9; j++) v[j] = Vector256.Create(limbs[j]);
        return new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }


    /// <summary>
    /// Lane-wise Montgomery product a*b/2^261 (CIOS over nine 29-bit limbs, carries deferred in the 64-bit lanes), with
    /// normalized limbs; the value is below 2p whenever (a/p)(b/p) &lt; 2^261/p (about 168). Fully unrolled: the ten
    /// accumulators rotate names instead of shifting (<see cref="LaneProduct{TSelf, TVec, TOps}"/>, shared by both widths).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 Mul(in FqVector4 a, in FqVector4 b)
        => LaneProduct<FqVector4, Vector256<ulong>, Avx2Lanes>.Mul(a, b);

    /// <summary>The element whose limb j is lj (for <see cref="LaneProduct{TSelf, TVec, TOps}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 FromLimbVectors(Vector256<ulong> l0, Vector256<ulong> l1, Vector256<ulong> l2, Vector256<ulong> l3,
        Vector256<ulong> l4, Vector256<ulong> l5, Vector256<ulong> l6, Vector256<ulong> l7, Vector256<ulong> l8) =>
        new(l0, l1, l2, l3, l4, l5, l6, l7, l8);


    /// <summary>Propagates carries so limbs 0..7 are below 2^29.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FqVector4 Normalize(Vector256<ulong> t0, Vector256<ulong> t1, Vector256<ulong> t2, Vector256<ulong> t3, Vector256<ulong> t4,
        Vector256<ulong> t5, Vector256<ulong> t6, Vector256<ulong> t7, Vector256<ulong> t8)
    {
        var mask = Vector256.Create(LimbMask);
        t1 += t0 >>> LimbBits; t0 &= mask;
        t2 += t1 >>> LimbBits; t1 &= mask;
        t3 += t2 >>> LimbBits; t2 &= mask;
        t4 += t3 >>> LimbBits; t3 &= mask;
        t5 += t4 >>> LimbBits; t4 &= mask;
        t6 += t5 >>> LimbBits; t5 &= mask;
        t7 += t6 >>> LimbBits; t6 &= mask;
        t8 += t7 >>> LimbBits; t7 &= mask;
        return new(t0, t1, t2, t3, t4, t5, t6, t7, t8);
    }

    /// <summary>a + b, normalized (values add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 Add(in FqVector4 a, in FqVector4 b) =>
        Normalize(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4, a.L5 + b.L5, a.L6 + b.L6, a.L7 + b.L7, a.L8 + b.L8);

    /// <summary>a - b + 8p for normalized b below 4p; the result is below a + 8p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 SubSmall(in FqVector4 a, in FqVector4 b) => Sub(a, b, Offset8P);

    /// <summary>a - b + 2p for normalized b below p (canonical); the result is below a + 2p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 SubCanonical(in FqVector4 a, in FqVector4 b) => Sub(a, b, Offset2P);

    /// <summary>a - b + 16p for normalized b below 10p; the result is below a + 16p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 SubLarge(in FqVector4 a, in FqVector4 b) => Sub(a, b, Offset16P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FqVector4 Sub(in FqVector4 a, in FqVector4 b, in FqVector4 k) =>
        Normalize(a.L0 + k.L0 - b.L0, a.L1 + k.L1 - b.L1, a.L2 + k.L2 - b.L2, a.L3 + k.L3 - b.L3, a.L4 + k.L4 - b.L4,
            a.L5 + k.L5 - b.L5, a.L6 + k.L6 - b.L6, a.L7 + k.L7 - b.L7, a.L8 + k.L8 - b.L8);

    /// <summary>2^266 mod p: Mul(xR, this) = xR' (from the scalar Montgomery form, R = 2^256, into the lanes' form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 ToLaneForm(in FqVector4 a) => Mul(a, ToLanesFactor);

    /// <summary>From the lanes' Montgomery form back to the scalar one (below 2p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 FromLaneForm(in FqVector4 a) => Mul(a, FromLanesFactor);

    /// <summary>Repacks four 256-bit values below 2^255 (limb i of value k at [4i + k]) into 29-bit limbs; no change of form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FqVector4 FromLimbs(ReadOnlySpan<ulong> limbs)
    {
        ref ulong r = ref MemoryMarshal.GetReference(limbs);
        var w0 = Vector256.LoadUnsafe(ref r, 0);
        var w1 = Vector256.LoadUnsafe(ref r, 4);
        var w2 = Vector256.LoadUnsafe(ref r, 8);
        var w3 = Vector256.LoadUnsafe(ref r, 12);
        var mask = Vector256.Create(LimbMask);
        return new FqVector4(
            w0 & mask,
            (w0 >>> 29) & mask,
            ((w0 >>> 58) | (w1 << 6)) & mask,
            (w1 >>> 23) & mask,
            ((w1 >>> 52) | (w2 << 12)) & mask,
            (w2 >>> 17) & mask,
            ((w2 >>> 46) | (w3 << 18)) & mask,
            (w3 >>> 11) & mask,
            w3 >>> 40);
    }

    /// <summary>x - kp where that is non-negative, else x (normalized x; kp given by its normalized limbs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FqVector4 SubtractIfAtLeast(in FqVector4 x, in FqVector4 kp)
    {
        // Borrow chain over the 29-bit limbs; a borrow shows as the top bit of the 64-bit lane.
        var mask = Vector256.Create(LimbMask);
        var d0 = x.L0 - kp.L0;
        var d1 = x.L1 - kp.L1 - (d0 >>> 63); d0 &= mask;
        var d2 = x.L2 - kp.L2 - (d1 >>> 63); d1 &= mask;
        var d3 = x.L3 - kp.L3 - (d2 >>> 63); d2 &= mask;
        var d4 = x.L4 - kp.L4 - (d3 >>> 63); d3 &= mask;
        var d5 = x.L5 - kp.L5 - (d4 >>> 63); d4 &= mask;
        var d6 = x.L6 - kp.L6 - (d5 >>> 63); d5 &= mask;
        var d7 = x.L7 - kp.L7 - (d6 >>> 63); d6 &= mask;
        var d8 = x.L8 - kp.L8 - (d7 >>> 63); d7 &= mask;
        var keep = Vector256<ulong>.Zero - (d8 >>> 63); // all ones where x < kp
        return new(
            Vector256.ConditionalSelect(keep, x.L0, d0), Vector256.ConditionalSelect(keep, x.L1, d1),
            Vector256.ConditionalSelect(keep, x.L2, d2), Vector256.ConditionalSelect(keep, x.L3, d3),
            Vector256.ConditionalSelect(keep, x.L4, d4), Vector256.ConditionalSelect(keep, x.L5, d5),
            Vector256.ConditionalSelect(keep, x.L6, d6), Vector256.ConditionalSelect(keep, x.L7, d7),
            Vector256.ConditionalSelect(keep, x.L8, d8));
    }

    /// <summary>Writes the values (normalized, below 2p) reduced below p as 4x64-bit limbs, limb i of value k at [4i + k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToLimbs(in FqVector4 x, Span<ulong> limbs)
    {
        var n = SubtractIfAtLeast(x, Limbs1P);
        ref ulong r = ref MemoryMarshal.GetReference(limbs);
        (n.L0 | (n.L1 << 29) | (n.L2 << 58)).StoreUnsafe(ref r, 0);
        ((n.L2 >>> 6) | (n.L3 << 23) | (n.L4 << 52)).StoreUnsafe(ref r, 4);
        ((n.L4 >>> 12) | (n.L5 << 17) | (n.L6 << 46)).StoreUnsafe(ref r, 8);
        ((n.L6 >>> 18) | (n.L7 << 11) | (n.L8 << 40)).StoreUnsafe(ref r, 12);
    }

    /// <summary>
    /// Like <see cref="ToLimbs"/> for normalized values below 16p (what <see cref="SubSmall"/> and <see cref="SubLarge"/>
    /// of reduced values give): three conditional subtractions instead of a multiplication by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToLimbsBelow16P(in FqVector4 x, Span<ulong> limbs) =>
        ToLimbs(SubtractIfAtLeast(SubtractIfAtLeast(SubtractIfAtLeast(x, Limbs8P), Limbs4P), Limbs2P), limbs);

    /// <summary>Like <see cref="ToLimbsBelow16P"/> for normalized values below 32p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToLimbsBelow32P(in FqVector4 x, Span<ulong> limbs) => ToLimbsBelow16P(SubtractIfAtLeast(x, Limbs16P), limbs);
}
