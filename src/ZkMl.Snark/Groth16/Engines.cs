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

/// <summary>Parallel helpers that surface the first failure itself rather than an AggregateException.</summary>
internal static class Parallelism
{
    public static void Invoke(params Action[] actions)
    {
        try { Parallel.Invoke(actions); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
    }
}
