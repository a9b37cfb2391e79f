using System.Diagnostics;

namespace ZkMl.Benchmarks;

/// <summary>
/// <c>fieldmul-rounds [N]</c>: the FieldMulVariantBenchmarks forms timed in N (default 25) alternating rounds after
/// three warm-up rounds, min per form of process CPU time and of wall time, per product (the clock check per imul).
/// On a shared, loaded machine the minimum over alternating rounds is steadier than BenchmarkDotNet's short job.
/// </summary>
public static class FieldMulRounds
{
    /// <summary>The command-line verb.</summary>
    public const string Command = "fieldmul-rounds";

    /// <summary>Runs the rounds and prints a table.</summary>
    public static int Run(string[] args)
    {
        var b = new FieldMulVariantBenchmarks();
        b.Setup();
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 25;
        (string Name, Func<ulong> Run, int PerCall, int Reps)[] forms =
        [
            ("Clock imul (per imul)", () => b.ClockImulChain(), 8000, 1000),
            ("chain CIOS", () => b.FrChainCios(), 1000, 1000),
            ("chain shipped Bn254Fr.Mul", () => (ulong)b.FrChainUnsaturatedRows().GetHashCode(), 1000, 1000),
            ("chain shipped raw limbs", () => b.FrChainUnsaturatedRowsLimbs(), 1000, 1000),
            ("chain Fma52.Hybrid", () => b.FrChainHybrid(), 1000, 1000),
            ("chain Fma52.Split", () => b.FrChainSplit(), 1000, 1000),
            ("chain Fma52.VectorRounds", () => b.FrChainVectorRounds(), 1000, 1000),
            ("indep CIOS", () => { b.FrIndependentCios(); return 0; }, 4096, 250),
            ("indep shipped raw limbs", () => { b.FrIndependentUnsaturatedRows(); return 0; }, 4096, 250),
            ("indep shipped Bn254Fr.Mul", () => { b.FrIndependentPublicMul(); return 0; }, 4096, 250),
            ("indep Fma52.Hybrid", () => { b.FrIndependentHybrid(); return 0; }, 4096, 250),
            ("indep Fma52.Split", () => { b.FrIndependentSplit(); return 0; }, 4096, 250),
            ("indep Fma52.VectorRounds", () => { b.FrIndependentVectorRounds(); return 0; }, 4096, 250),
            ("indep 8 lanes Mul8 (batch)", () => { b.FrIndependentLanes8(); return 0; }, 4096, 250),
            ("indep 4 lanes AVX2 Mul4 (batch)", () => { b.FrIndependentLanes4(); return 0; }, 4096, 250),
        ];
        var cpu = new double[forms.Length]; var wall = new double[forms.Length];
        Array.Fill(cpu, double.MaxValue); Array.Fill(wall, double.MaxValue);
        var p = Process.GetCurrentProcess();
        ulong sink = 0;
        for (int r = -3; r < rounds; r++)
            for (int f = 0; f < forms.Length; f++)
            {
                var (_, run, perCall, reps) = forms[f];
                p.Refresh();
                TimeSpan c0 = p.TotalProcessorTime; long w0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < reps; i++) sink ^= run();
                long w1 = Stopwatch.GetTimestamp(); p.Refresh(); TimeSpan c1 = p.TotalProcessorTime;
                if (r < 0) continue; // warm-up rounds (tier-1 code)
                double n = (double)perCall * reps;
                cpu[f] = Math.Min(cpu[f], (c1 - c0).TotalNanoseconds / n);
                wall[f] = Math.Min(wall[f], Stopwatch.GetElapsedTime(w0, w1).TotalNanoseconds / n);
            }
        Console.WriteLine($"| form | min CPU ns | min wall ns |  ({rounds} rounds)");
        for (int f = 0; f < forms.Length; f++) Console.WriteLine($"| {forms[f].Name} | {cpu[f]:F2} | {wall[f]:F2} |");
        Console.WriteLine($"(sink {sink & 1})");
        return 0;
    }
}
