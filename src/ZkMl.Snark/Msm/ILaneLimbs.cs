namespace ZkMl.Snark.Msm;

/// <summary>
/// A lane type laid out as nine consecutive limb vectors of <typeparamref name="TVec"/> (<see cref="FqVector8"/>,
/// <see cref="FqVector4"/>), so <see cref="LaneProduct{TSelf, TVec, TOps}"/> can read its limbs in place and build its
/// result the way the type's own constructor would (straight into the caller's return buffer).
/// </summary>
internal interface ILaneLimbs<TSelf, TVec> where TSelf : struct, ILaneLimbs<TSelf, TVec> where TVec : struct
{
    /// <summary>The element whose limb j is lj.</summary>
    static abstract TSelf FromLimbVectors(TVec l0, TVec l1, TVec l2, TVec l3, TVec l4, TVec l5, TVec l6, TVec l7, TVec l8);
}
