using System.Diagnostics;
using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Benchmarks;

/// <summary>
/// Wall-clock and CPU time of the zero-knowledge step's lookup GKR (<see cref="ZkStoredMaskGkr"/>) at the 784-128-10 /
/// batch-64 shape (issue #16): leaves as the step builds them over a limb region of 2^21 entries whose first
/// <c>used</c> hold 16-bit witnesses (the rest zero), the range table's 2^16 multiplicities, padded with p = 0, q = 1;
/// the kernel with its constant tails skipped and without, alternated in one process (same proof bytes, checked):
/// <c>dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- zk-gkr [used] [repeats] [skip|full|both]</c>.
/// </summary>
public static class ZkLookupGkrBenchmarks
{
    /// <summary>The command word.</summary>
    public const string Command = "zk-gkr";

    private const int Variables = 21, TableBits = 16;

    /// <summary>Runs the measurement; args: used entries (1,170,000), repeats (3), mode (both).</summary>
    public static int Run(string[] args)
    {
        var numbers = args.Where(a => a.All(char.IsDigit)).Select(int.Parse).ToList();
        int used = numbers.Count > 0 ? numbers[0] : 1_170_000, repeats = numbers.Count > 1 ? numbers[1] : 3;
        string mode = args.FirstOrDefault(a => a is "skip" or "full" or "both") ?? "both";
        var rng = new Random(1);
        GoldilocksExt2 alpha = GoldilocksExt2.Random(rng);
        var leaves = Enumerable.Range(0, 4).Select(_ => new GoldilocksExt2[1 << Variables]).ToArray();
        leaves[0].AsSpan().Fill(GoldilocksExt2.One);
        leaves[2].AsSpan().Fill(alpha);
        for (int x = 0; x < used; x++) leaves[2][x] = alpha - Goldilocks.FromUInt64((ulong)rng.Next(1 << TableBits));
        leaves[3].AsSpan().Fill(GoldilocksExt2.One);
        for (int x = 0; x < 1 << TableBits; x++) (leaves[1][x], leaves[3][x]) = (-(GoldilocksExt2)Goldilocks.FromUInt64((ulong)rng.Next(64)), alpha - Goldilocks.FromUInt64((ulong)x));
        ZkSumcheckFactor[] factors = [new(leaves[0]), ZkSumcheckFactor.Masked(leaves[1], [GoldilocksExt2.Random(rng)]),
            ZkSumcheckFactor.Masked(leaves[2], [GoldilocksExt2.Random(rng)]), new(leaves[3])];
        int stride = ZkStoredMaskGkr.Alignment(Variables + 1, 2);
        var region = Enumerable.Range(0, stride + ZkStoredMaskGkr.MaskEntries(Variables + 1, 2)).Select(_ => Goldilocks.Random(rng)).ToArray();
        Console.WriteLine($"# lookup GKR over 2^{Variables + 1} leaves, {used} used witness entries; load {Load()}");
        byte[]? reference = null;
        for (int r = 0; r < repeats; r++)
            foreach (bool skip in mode switch { "skip" => new[] { true }, "full" => [false], _ => [true, false] })
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var result = ZkStoredMaskGkr.ProveCore(new Transcript("bench", [1]), factors, region, stride, 0, generic: false, skip);
                double wall = clock.Elapsed.TotalMilliseconds, spent = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                var bytes = result.Steps.SelectMany(s => s.ToBytes()).ToArray();
                reference ??= bytes;
                if (!bytes.AsSpan().SequenceEqual(reference)) throw new InvalidOperationException("The proofs differ.");
                Console.WriteLine($"{(skip ? "skip" : "full"),-4} run {r}: wall {wall,7:F0} ms, cpu {spent,7:F0} ms, proof {bytes.Length} B; load {Load()}");
            }
        return 0;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Trim();
}
