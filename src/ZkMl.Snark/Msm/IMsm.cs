using ZkMl.Field;

namespace ZkMl.Snark.Msm;

/// <summary>
/// Multi-scalar multiplication sum_i scalars[i] * bases[i]. Implementations are interchangeable
/// (CPU Pippenger here, GPU kernels in ZkMl.Gpu).
/// </summary>
/// <typeparam name="TAffine">The affine point type of the inputs (G1Affine or G2Affine).</typeparam>
/// <typeparam name="TProjective">The projective point type of the result (G1Projective or G2Projective).</typeparam>
public interface IMsm<TAffine, TProjective>
    where TAffine : struct
    where TProjective : struct
{
    /// <summary>
    /// Computes sum_i scalars[i] * bases[i]. The spans must have equal length (an empty input gives infinity);
    /// zero scalars and points at infinity are allowed.
    /// </summary>
    TProjective Compute(ReadOnlySpan<TAffine> bases, ReadOnlySpan<Bn254Fr> scalars);
}
