using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Training;

/// <summary>
/// The compute engines the proving backends run on, so an accelerator (e.g. ZkMl.Gpu's <c>GpuContext</c>) can plug in;
/// every engine defaults to the CPU one. The Groth16 backend uses the BN254 NTT and both MSMs; the STARK backend the
/// Goldilocks NTT.
/// </summary>
public sealed record ProvingEngines
{
    /// <summary>The CPU engines.</summary>
    public static ProvingEngines Cpu { get; } = new();

    /// <summary>NTT over the BN254 scalar field (Groth16's quotient polynomial).</summary>
    public INtt<Bn254Fr> Ntt { get; init; } = Ntt<Bn254Fr>.Instance;

    /// <summary>NTT over Goldilocks (the STARK backend's low-degree extensions).</summary>
    public INtt<Goldilocks> GoldilocksNtt { get; init; } = Ntt<Goldilocks>.Instance;
    /// <summary>Multi-scalar multiplication in G1.</summary>
    public IMsm<G1Affine, G1Projective> MsmG1 { get; init; } = PippengerMsm.Default;

    /// <summary>Multi-scalar multiplication in G2.</summary>
    public IMsm<G2Affine, G2Projective> MsmG2 { get; init; } = PippengerMsm.Default;
}
