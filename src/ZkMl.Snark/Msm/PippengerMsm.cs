using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Msm;

/// <summary>
/// CPU multi-scalar multiplication for BN254 G1 and G2: Pippenger buckets with signed-digit windows (window size from n),
/// windows processed in parallel, batch-affine bucket accumulation, cheap handling of zero/small scalars and infinity,
/// and the GLV endomorphism on full-size scalars.
/// Variable time: for public data or data whose timing does not matter (prover witnesses are hidden by the proof's randomness).
/// </summary>
public sealed class PippengerMsm : IMsm<G1Affine, G1Projective>, IMsm<G2Affine, G2Projective>
{
    /// <summary>A shared instance using all cores.</summary>
    public static PippengerMsm Default { get; } = new();

    /// <summary>Creates an MSM engine.</summary>
    /// <param name="maxDegreeOfParallelism">Threads to use; -1 (default) for all cores.</param>
    public PippengerMsm(int maxDegreeOfParallelism = -1)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1) throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism));
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>Threads used (-1 = all cores).</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>
    /// Split scalars by the GLV endomorphism (k = k₁ + k₂λ over the bases and their images (βx, y), half the windows)
    /// where the window cost model says it pays (default true); false never splits (the unsplit baseline).
    /// </summary>
    public bool UseEndomorphism { get; init; } = true;

    /// <summary>A fixed window size (2..15) instead of the cost model's choice; for the window sweep (msm-windows benchmark).</summary>
    internal int? Window
    {
        get => _window;
        init => _window = value is null or (>= 2 and <= 15) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MSM windows are 2 to 15 bits.");
    }

    private readonly int? _window;

    /// <inheritdoc/>
    public G1Projective Compute(ReadOnlySpan<G1Affine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        CheckLengths(bases.Length, scalars.Length);
        var result = PippengerCore<Bn254Fq>.Compute(MemoryMarshal.Cast<G1Affine, AffinePoint<Bn254Fq>>(bases), scalars, MaxDegreeOfParallelism,
            allowGlv: UseEndomorphism ? null : false, window: Window);
        return new G1Projective(result);
    }

    /// <inheritdoc/>
    public G2Projective Compute(ReadOnlySpan<G2Affine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        CheckLengths(bases.Length, scalars.Length);
        var result = PippengerCore<Fq2>.Compute(MemoryMarshal.Cast<G2Affine, AffinePoint<Fq2>>(bases), scalars, MaxDegreeOfParallelism,
            allowGlv: UseEndomorphism ? null : false, window: Window);
        return new G2Projective(result);
    }

    private static void CheckLengths(int bases, int scalars)
    {
        if (bases != scalars) throw new ArgumentException($"MSM needs as many scalars ({scalars}) as bases ({bases}).");
    }
}
