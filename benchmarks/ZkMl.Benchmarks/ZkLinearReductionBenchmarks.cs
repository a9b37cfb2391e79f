using System.Diagnostics;
using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Benchmarks;

/// <summary>
/// Wall-clock measurement of the zero-knowledge linear reduction at the 784-128-10 / batch-64 step's shape (issue #16):
/// hiding commitments of 2^21 (the stack), 2 x 2^17 (W1, W1'), 2 x 2^11 (W2, W2'), 2^7 and 2^4 (biases), 62 claims of
/// eq type (40 on 2^17-entry regions of the stack with a mask scalar each, 6 on each W1, 3 on each W2, 2 on each bias),
/// one <see cref="ZkLinearReduction"/> with its Libra mask in a one-sumcheck <see cref="ZkSumcheckMaskSet"/>; and hiding
/// Ligero openings alone at 2^17, 2^20, 2^21. Rate 1/8, 128 queries (the step's). Uses only APIs that the previous
/// format also has, so the same file builds against an older ZkMl.Sumcheck for a before/after run:
/// <c>dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- zk-linear-reduction [reduction|ligero] [repeats]</c>.
/// </summary>
public static class ZkLinearReductionBenchmarks
{
    /// <summary>The command word.</summary>
    public const string Command = "zk-linear-reduction";

    private static readonly LigeroParameters Hiding = new(3, 128, true);
    private static readonly int[] Sizes = [21, 17, 17, 11, 11, 7, 4];

    /// <summary>Runs the measurement; args: mode (reduction, ligero or both) and repeats.</summary>
    public static int Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "both";
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
        string label = typeof(ZkLinearReductionProof).Assembly.GetName().Version?.ToString() ?? "";
        Console.WriteLine($"# ZKLR format v{ZkLinearReductionProof.FormatVersion}, Ligero opening v{LigeroOpening.FormatVersion} ({label}); load {File.ReadAllText("/proc/loadavg").Trim()}");
        if (mode is "reduction" or "both")
            for (int r = 0; r < repeats; r++) Reduction(r, false);
        if (mode is "tail" or "compact")
            for (int r = 0; r < repeats; r++) Reduction(r, true, mode == "compact");
        if (mode is "ligero" or "both")
            for (int r = 0; r < repeats; r++)
                foreach (int n in new[] { 17, 20, 21 }) Opening(n, r);
        return 0;
    }

    /// <summary>Entries of the step's stack that its layout reaches (176 of 256 rows of 2^13).</summary>
    private const int StackEntries = 1_441_792;

    private static void Reduction(int seed, bool zeroTail, bool compact = false)
    {
        var rng = new Random(seed);
        var tables = Sizes.Select(n => RandomTable(rng, n)).ToArray();
        if (zeroTail) Array.Clear(tables[0], StackEntries, tables[0].Length - StackEntries);
        var clock = Stopwatch.StartNew();
        var large = compact ? CompactParameters() : Hiding;
        var data = tables.Select((t, c) => c == 0 && zeroTail ? CommitZeroTail(large, t.AsSpan(0, StackEntries), Sizes[0])
            : LigeroPcs.Commit(Sizes[c] >= 17 ? large : Hiding, t, 1)).ToArray();
        int v = Sizes.Max() - 1;
        var shape = ZkLinearReduction.Shape(Sizes, v);
        var masks = ZkSumcheckMaskSet.Commit(Hiding, [shape]);
        long commit = clock.ElapsedMilliseconds;

        var claims = new List<ZkLinearClaim>();
        for (int j = 0; j < 40; j++)
        {
            var point = RandomPoint(rng, 17);
            GoldilocksExt2 z = point[1] * (GoldilocksExt2.One - point[1]);
            // Regions 0..9 of the stack hold the tables, region 10 the mask scalars (inside the reached rows).
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq((long)(j % 10) << 17, GoldilocksExt2.One, point), ZkLinearTerm.Scalar((10L << 17) + 2 * j, z)));
        }
        foreach (var (table, count) in new[] { (1, 6), (2, 6), (3, 3), (4, 3), (5, 2), (6, 2) })
            for (int j = 0; j < count; j++) claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, RandomPoint(rng, Sizes[table]), table)));
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        var slots = new int[Sizes.Length];

        GC.Collect();
        var transcript = new Transcript("ZkMl.Benchmarks.ZkLinear", [1]);
        ZkLinearReductionProof proof;
        ZkSumcheckReduction reduction;
        masks.Commitment.AbsorbInto(transcript);
        foreach (var d in data) d.Commitment.AbsorbInto(transcript);
        var phases = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using (var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == SumcheckTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = a => phases.AddOrUpdate(a.OperationName, a.Duration.TotalMilliseconds, (_, d) => d + a.Duration.TotalMilliseconds),
        })
        {
            System.Diagnostics.ActivitySource.AddActivityListener(listener);
            clock.Restart();
            proof = ZkLinearReduction.Prove(transcript, data, slots, slots, masks, 0, claims, values, out reduction);
        }
        long prove = clock.ElapsedMilliseconds;
        string breakdown = string.Join(", ", phases.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:F0} ms"));
        var maskOpening = masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        long maskOpen = clock.ElapsedMilliseconds - prove;
        var bytes = proof.ToBytes();

        clock.Restart();
        var verifier = new Transcript("ZkMl.Benchmarks.ZkLinear", [1]);
        masks.Commitment.AbsorbInto(verifier);
        foreach (var d in data) d.Commitment.AbsorbInto(verifier);
        bool ok = ZkLinearReduction.Verify(verifier, [.. data.Select(d => d.Commitment)], slots, slots, shape, claims, values, ZkLinearReductionProof.FromBytes(bytes), out var result)
            && ZkSumcheckMaskSet.Verify(verifier, masks.Commitment, masks.Shapes, [result.Point.ToArray()], [result.MaskValue], maskOpening);
        long verify = clock.ElapsedMilliseconds;
        long openingBytes = proof.Openings.Sum(o => (long)o.ToBytes().Length);
        string bits = string.Join("/", data.Select(d => CommitmentBits(d.Commitment).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Distinct());
        Console.WriteLine($"reduction{(zeroTail ? " (stack committed with its zero tail)" : "")}{(compact ? " (compact codewords for 2^17 and up)" : "")} run {seed}: bits {bits}; {claims.Count} claims on {Sizes.Length} commitments; commit {commit} ms; prove {prove} ms ({breakdown}; + mask set opening {maskOpen} ms); "
            + $"verify {verify} ms ({ok}); proof {bytes.Length / 1024.0:F1} KiB (openings {openingBytes / 1024.0:F1} KiB) + mask set {maskOpening.ToBytes().Length / 1024.0:F1} KiB; "
            + $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        if (!ok) throw new InvalidOperationException("The reduction did not verify.");
    }

    private static LigeroProverData CommitZeroTail(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int variables)
    {
#if ZKLR_V1
        throw new NotSupportedException($"ZkMl.Sumcheck before hiding zero-tail commitments ({parameters}, {table.Length}, {variables}).");
#else
        return LigeroPcs.CommitZeroTail(parameters, table, variables, 1);
#endif
    }

#if ZKLR_V1
    private static LigeroParameters CompactParameters() => throw new NotSupportedException("ZkMl.Sumcheck before compact hiding codewords.");

    private static double CommitmentBits(LigeroCommitment commitment) => commitment.Parameters.SoundnessBits;
#else
    private static LigeroParameters CompactParameters() => Hiding with { Compact = true };

    private static double CommitmentBits(LigeroCommitment commitment) => commitment.SoundnessBits;
#endif

    private static void Opening(int n, int seed)
    {
        var rng = new Random(100 + seed);
        var table = RandomTable(rng, n);
        var clock = Stopwatch.StartNew();
        var data = LigeroPcs.Commit(Hiding, table);
        long commit = clock.ElapsedMilliseconds;
        var point = RandomPoint(rng, n);
        var transcript = new Transcript("ZkMl.Benchmarks.Ligero", [2]);
        data.Commitment.AbsorbInto(transcript);
        GC.Collect();
        clock.Restart();
        var opening = LigeroPcs.OpenHiding(transcript, data, point, 0, 1, out var value);
        long open = clock.ElapsedMilliseconds;
        var verifier = new Transcript("ZkMl.Benchmarks.Ligero", [2]);
        data.Commitment.AbsorbInto(verifier);
        clock.Restart();
        bool ok = LigeroPcs.VerifyHiding(verifier, data.Commitment, point, 0, 1, value, opening);
        long verify = clock.ElapsedMilliseconds;
        Console.WriteLine($"hiding opening 2^{n} run {seed}: commit {commit} ms; open {open} ms; verify {verify} ms ({ok}); opening {opening.ToBytes().Length / 1024.0:F1} KiB "
            + $"(row length {data.Commitment.RowLength}, rows sent at {opening.MessageLength}, {opening.Rows} rows x {opening.OpenedColumns} columns); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        if (!ok) throw new InvalidOperationException("The opening did not verify.");
    }

    private static Goldilocks[] RandomTable(Random rng, int variables)
    {
        var table = new Goldilocks[1 << variables];
        for (int i = 0; i < table.Length; i++) table[i] = Goldilocks.FromUInt64((ulong)rng.NextInt64(1L << 40));
        return table;
    }

    private static GoldilocksExt2[] RandomPoint(Random rng, int variables) =>
        [.. Enumerable.Range(0, variables).Select(_ => new GoldilocksExt2(Goldilocks.FromUInt64((ulong)rng.NextInt64()), Goldilocks.FromUInt64((ulong)rng.NextInt64())))];
}
