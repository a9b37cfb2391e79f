namespace ZkMl.Cli;

/// <summary>Process entry point of the <c>zkml</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the command line; see <see cref="ZkmlCommand"/> for the commands.</summary>
    public static int Main(string[] args)
    {
        // (On linux-x64 the choice between the AVX-512 build and the portable one is made before the runtime starts:
        // Native/cpu_dispatch.c.)
        PhaseTimings.Start(DateTime.UtcNow);
        // The prover blocks pool threads on nested parallel loops (MSMs inside a parallel invoke); with the default
        // minimum of one thread per core they wait for the pool's 0.5 s thread injections, which were most of a small
        // proof's wall time under Native AOT (1.3 s against 0.35 s at 2^11). Idle threads are only made when work waits.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * Environment.ProcessorCount), io);
        int code = ZkmlCommand.Run(args, Console.Out, Console.Error);
        PhaseTimings.Report(Console.Error);
        return code;
    }
}
