using System.Diagnostics;
using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Benchmarks;

/// <summary>
/// Wall-clock and CPU-time measurement of <see cref="PoseidonSpongeZeroCheck.Prove(Transcript, PoseidonSpongeLayout, ReadOnlySpan{Goldilocks}, IReadOnlyList{Goldilocks[]})"/>
/// at the 784-128-10 / batch-64 step's membership shape (issue #16): 64 rows of 8 salt elements, 784 inputs and 10
/// targets (the STARK backend's row leaf), unpacked (2^22-entry trace tables) or 5 entries per element at radix 2^11
/// (2^20), the dedicated kernel and the generic prover alternated in one process (same proof bytes, checked):
/// <c>dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- zk-sponge [pack ...] [repeats] [kernel|generic|both]</c>.
/// </summary>
public static class PoseidonSpongeBenchmarks
{
    /// <summary>The command word.</summary>
    public const string Command = "zk-sponge";

    private const int Rows = 64, Inputs = 784, Labels = 10;

    /// <summary>Runs the measurement; args: packs (1, 5), repeats, mode.</summary>
    public static int Run(string[] args)
    {
        var packs = args.Where(a => a.All(char.IsDigit)).Select(int.Parse).ToList();
        int repeats = packs.Count > 1 ? packs[^1] : 3;
        if (packs.Count > 1) packs.RemoveAt(packs.Count - 1);
        if (packs.Count == 0) packs = [5, 1];
        string mode = args.FirstOrDefault(a => a is "kernel" or "generic" or "both") ?? "both";
        foreach (int pack in packs)
        {
            var (layout, table, digests) = Instance(pack, pack == 1 ? 8 : 11);
            Console.WriteLine($"# pack {pack}: trace tables 2^{layout.Variables}, caller's table 2^{Multilinear.VariableCount(table.Length)}; load {Load()}");
            byte[]? reference = null;
            for (int r = 0; r < repeats; r++)
                foreach (bool generic in mode switch { "kernel" => new[] { false }, "generic" => [true], _ => [false, true] })
                {
                    GC.Collect();
                    double rounds = 0;
                    using var listener = new ActivityListener
                    {
                        ShouldListenTo = s => s.Name == SumcheckTelemetry.Name,
                        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                        ActivityStopped = a => rounds += a.Duration.TotalMilliseconds,
                    };
                    ActivitySource.AddActivityListener(listener);
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    var result = PoseidonSpongeZeroCheck.Prove(new Transcript("bench", [1]), layout, table, digests, true, generic);
                    double wall = clock.Elapsed.TotalMilliseconds, used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                    var bytes = result.Proof.ToBytes();
                    reference ??= bytes;
                    if (!bytes.AsSpan().SequenceEqual(reference)) throw new InvalidOperationException("The proofs differ.");
                    Console.WriteLine($"pack {pack} {(generic ? "generic" : "kernel "),-7} run {r}: wall {wall,8:F0} ms, cpu {used,8:F0} ms (wall in the rounds {rounds,6:F0} ms), proof {bytes.Length} B; load {Load()}");
                }
        }
        return 0;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Trim();

    /// <summary>The rows, their trace and masks in one table laid out as PoseidonSpongeCostTests does.</summary>
    private static (PoseidonSpongeLayout Layout, Goldilocks[] Table, Goldilocks[][] Digests) Instance(int pack, int bits)
    {
        int rowVariables = System.Numerics.BitOperations.Log2((uint)Rows - 1) + 1;
        int variables = PoseidonSpongeLayout.TableVariables(Rows, (Inputs + pack - 1) / pack + (Labels + pack - 1) / pack);
        long salts = 4L << variables, targets = salts + (16L << rowVariables), inputs = Align(targets + (16L << rowVariables), 1024L << rowVariables);
        long masks = Align(inputs + (1024L << rowVariables), PoseidonSpongeLayout.LibraEntries(variables));
        var layout = new PoseidonSpongeLayout(Rows, [new(salts, 8, 8), new(inputs, 1024, Inputs, pack, 1UL << bits), new(targets, 16, Labels, pack, 1UL << bits)], 0, masks);
        int tableVariables = Multilinear.VariableCount((int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)layout.RequiredEntries));
        var table = new Goldilocks[1 << tableVariables];
        var rng = new Random(1);
        for (int row = 0; row < Rows; row++)
        {
            for (int i = 0; i < 8; i++) table[salts + 8 * row + i] = Goldilocks.Random(rng);
            table[targets + 16 * row + rng.Next(Labels)] = Goldilocks.FromUInt64((1UL << bits) - 1);
            for (int i = 0; i < Inputs; i++) table[inputs + 1024 * row + i] = Goldilocks.FromUInt64((ulong)rng.Next(1 << bits));
        }
        var digests = PoseidonSpongeZeroCheck.FillTrace(layout, table);
        PoseidonSpongeZeroCheck.FillMasks(layout, table, rng);
        return (layout, table, digests);
    }

    private static long Align(long at, long alignment) => (at + alignment - 1) / alignment * alignment;
}
