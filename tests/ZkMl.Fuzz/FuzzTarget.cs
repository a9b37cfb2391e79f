using System.Diagnostics;

namespace ZkMl.Fuzz;

/// <summary>
/// One fuzz target: an entry point fed the raw input, the exception types its documentation allows, and the resource
/// bounds it must stay under for every input. Anything else is a finding: the harness rethrows it (AFL records a crash).
/// </summary>
/// <param name="Name">The command-line name, also the corpus folder name.</param>
/// <param name="Body">Runs the entry point on one input; returns a short outcome ("ok", "false", ...).</param>
/// <param name="Allowed">Documented exception types (an instance of a subtype also counts).</param>
/// <param name="MemoryBaseBytes">Allocation allowed per input regardless of its size.</param>
/// <param name="MemoryPerInputByte">Further allocation allowed per input byte (decoders may hold a few copies of what they read).</param>
/// <param name="TimeBound">Wall-clock time allowed per input (uninstrumented Release build; the AFL build gets the scripts' -t).</param>
internal sealed record FuzzTarget(string Name, Func<byte[], string> Body, Type[] Allowed, long MemoryBaseBytes, long MemoryPerInputByte, TimeSpan TimeBound)
{
    // run.sh sets ZKML_FUZZ_TIME_SCALE for the instrumented build, which runs several times slower.
    private static readonly double TimeScale = double.TryParse(Environment.GetEnvironmentVariable("ZKML_FUZZ_TIME_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 1;

    /// <summary>Runs one input and checks the contract; throws <see cref="FuzzContractViolationException"/> or the unexpected exception otherwise.</summary>
    public string Execute(byte[] input)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            outcome = Body(input);
        }
        catch (Exception e) when (Allowed.Any(t => t.IsInstanceOfType(e)))
        {
            outcome = e.GetType().Name;
        }
        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long memoryBound = MemoryBaseBytes + MemoryPerInputByte * input.Length;
        if (allocated > memoryBound)
            throw new FuzzContractViolationException($"{Name}: allocated {allocated:N0} bytes for a {input.Length}-byte input (bound {memoryBound:N0}); outcome {outcome}");
        var timeBound = TimeBound * TimeScale;
        if (clock.Elapsed > timeBound)
            throw new FuzzContractViolationException($"{Name}: took {clock.Elapsed.TotalMilliseconds:F0} ms (bound {timeBound.TotalMilliseconds:F0} ms); outcome {outcome}");
        return outcome;
    }
}
