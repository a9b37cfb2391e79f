using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Groth16;

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
