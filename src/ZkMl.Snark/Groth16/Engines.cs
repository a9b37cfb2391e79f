using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Groth16;

/// <summary>The CPU engines used when no others are supplied.</summary>
internal static class Engines
{
    public static INtt<Bn254Fr> DefaultNtt => Ntt<Bn254Fr>.Instance;
    public static IMsm<G1Affine, G1Projective> DefaultMsmG1 => PippengerMsm.Default;
    public static IMsm<G2Affine, G2Projective> DefaultMsmG2 => PippengerMsm.Default;
}
