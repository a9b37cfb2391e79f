using System.Diagnostics;
using System.Globalization;
using ZkMl.Field;
using ZkMl.Snark.Msm;

namespace ZkMl.Benchmarks;

/// <summary>
/// <c>msm-windows LOG2N [ROUNDS] [WINDOW...]</c>: the CPU MSM at 2^LOG2N points timed with each fixed window size and with
/// the cost model's own choice ("model"), in alternating rounds after one warm-up round: G1 with full-size scalars (split
/// by GLV), G1 with signed 21-bit scalars (quantized NN witnesses), and G2 over 2^LOG2N / 16 points with full-size scalars:
/// <see cref="MsmBenchmarks"/>'s inputs.
/// Prints the minimum and the median of process CPU time per MSM. Windows default to 6..14.
/// </summary>
public static class MsmWindowSweep
{
    /// <summary>The command-line verb.</summary>
    public const string Command = "msm-windows";

    /// <summary>Runs the sweep and prints a table.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out int log) || log is < 4 or > 22)
        {
            Console.Error.WriteLine("usage: msm-windows LOG2N(4..22) [ROUNDS] [WINDOW(2..15)...]");
            return 2;
        }
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        int?[] windows = args.Length > 2
            ? [null, .. args.Skip(2).Select(a => (int?)int.Parse(a, CultureInfo.InvariantCulture))]
            : [null, .. Enumerable.Range(6, 9).Select(c => (int?)c)];
        var data = new MsmBenchmarks { N = 1 << log };
        data.Setup();
        var (g1, g2, full, small) = data.Inputs;
        var fullG2 = full.AsSpan(0, g2.Length).ToArray();
        string[] kinds = ["G1 full (GLV)", "G1 21-bit", "G2 full (GLV)"];
        var times = new List<double>[windows.Length, kinds.Length];
        for (int w = 0; w < windows.Length; w++) for (int k = 0; k < kinds.Length; k++) times[w, k] = [];
        var process = Process.GetCurrentProcess();
        for (int r = -1; r < rounds; r++)
            for (int w = 0; w < windows.Length; w++)
            {
                var msm = new PippengerMsm { Window = windows[w] };
                for (int k = 0; k < kinds.Length; k++)
                {
                    process.Refresh();
                    var before = process.TotalProcessorTime;
                    if (k == 0) msm.Compute(g1, full);
                    else if (k == 1) msm.Compute(g1, small);
                    else msm.Compute(g2, fullG2);
                    process.Refresh();
                    if (r >= 0) times[w, k].Add((process.TotalProcessorTime - before).TotalMilliseconds);
                }
            }
        Console.WriteLine($"2^{log} points (G2: {g2.Length}), {rounds} rounds, process CPU ms per MSM, min / median; {Environment.ProcessorCount} cores");
        Console.WriteLine($"| window | {string.Join(" | ", kinds)} |");
        Console.WriteLine($"|---|{string.Concat(kinds.Select(_ => "---:|"))}");
        for (int w = 0; w < windows.Length; w++)
        {
            var cells = Enumerable.Range(0, kinds.Length).Select(k =>
            {
                var sorted = times[w, k].Order().ToArray();
                return $"{sorted[0]:F1} / {sorted[sorted.Length / 2]:F1}";
            });
            Console.WriteLine($"| {windows[w]?.ToString(CultureInfo.InvariantCulture) ?? "model"} | {string.Join(" | ", cells)} |");
        }
        return 0;
    }
}
