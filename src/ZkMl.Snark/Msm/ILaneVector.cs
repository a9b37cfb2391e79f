namespace ZkMl.Snark.Msm;

/// <summary>
/// Lane-parallel Bn254Fq arithmetic in the lanes' Montgomery form (nine 29-bit limbs, R' = 2^261) over
/// <see cref="Width"/> elements at once: <see cref="FqVector8"/> (AVX-512, 8 lanes) and <see cref="FqVector4"/> (AVX2,
/// 4 lanes). Code generic over a struct implementing it (<see cref="LaneBatchAdder"/>) is specialised by the JIT per
/// width, so one batch adder serves both. Limb arrays hold limb i of lane k at [Width * i + k].
/// </summary>
internal interface ILaneVector<TSelf> where TSelf : struct, ILaneVector<TSelf>
{
    /// <summary>Elements per vector.</summary>
    static abstract int Width { get; }

    /// <summary>Whether the CPU (and runtime) has the instructions this width needs.</summary>
    static abstract bool IsSupported { get; }

    static abstract TSelf Mul(in TSelf a, in TSelf b);
    static abstract TSelf Add(in TSelf a, in TSelf b);
    static abstract TSelf SubSmall(in TSelf a, in TSelf b);
    static abstract TSelf SubCanonical(in TSelf a, in TSelf b);
    static abstract TSelf SubLarge(in TSelf a, in TSelf b);
    static abstract TSelf ToLaneForm(in TSelf a);
    static abstract TSelf FromLaneForm(in TSelf a);
    static abstract TSelf FromLimbs(ReadOnlySpan<ulong> limbs);
    static abstract void ToLimbs(in TSelf x, Span<ulong> limbs);
    static abstract void ToLimbsBelow16P(in TSelf x, Span<ulong> limbs);
    static abstract void ToLimbsBelow32P(in TSelf x, Span<ulong> limbs);
}
