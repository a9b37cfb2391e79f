namespace ZkMl.Snark.Msm;

/// <summary>
/// The SIMD operations <see cref="LaneProduct{TSelf, TVec, TOps}"/> needs over a vector of 64-bit lanes. It exists because .NET
/// has no public interface over <c>Vector256&lt;T&gt;</c>/<c>Vector512&lt;T&gt;</c>: the product is written once against
/// this, and the JIT specialises it per width (the implementing structs are value types, every member is inlined).
/// </summary>
internal interface ILaneOps<TVec> where TVec : struct
{
    /// <summary>x in every lane.</summary>
    static abstract TVec Create(ulong x);

    /// <summary>Lane-wise product of the low 32 bits of x and y, as 64 bits (vpmuludq).</summary>
    static abstract TVec MulEven(TVec x, TVec y);

    /// <summary>Lane-wise x + y (wrapping).</summary>
    static abstract TVec Add(TVec x, TVec y);

    /// <summary>Lane-wise x &amp; y.</summary>
    static abstract TVec And(TVec x, TVec y);

    /// <summary>Logical shift right of each lane.</summary>
    static abstract TVec ShiftRight(TVec x, int count);
}
