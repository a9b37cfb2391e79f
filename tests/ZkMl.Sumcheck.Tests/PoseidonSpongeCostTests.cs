using System.Diagnostics;
using Xunit.Abstractions;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Opt-in measurement of <see cref="PoseidonSpongeZeroCheck"/> at a batch's shape: ZKML_POSEIDON_SPONGE_ROWS=R rows of
/// 8 salt elements, 784 inputs and 10 targets, the STARK backend's row leaf (ZKML_POSEIDON_SPONGE_PACK=k packs k entries per element,
/// radix 2^ZKML_POSEIDON_SPONGE_RADIX_BITS, default 8),
/// trace size, trace fill, zero-check prove and verify times; ZKML_POSEIDON_SPONGE_OPEN="22,25" also commits random
/// tables of those sizes hiding (the stack's rate 1/8, Q = 124, one opening) and reports one opening's bytes, i.e. what a stack grown
/// by the trace costs. Without the variables the test returns at once.
/// </summary>
public class PoseidonSpongeCostTests(ITestOutputHelper output)
{
    private const int Inputs = 784, Labels = 10;

    [Fact]
    public void MeasureTheSpongeZeroCheckAtABatchShape()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("ZKML_POSEIDON_SPONGE_ROWS"), out int rows)) MeasureZeroCheck(rows);
        foreach (var item in (Environment.GetEnvironmentVariable("ZKML_POSEIDON_SPONGE_OPEN") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            MeasureOpening(int.Parse(item, System.Globalization.CultureInfo.InvariantCulture));
    }

    private void MeasureZeroCheck(int rows)
    {
        // The STARK backend's data-set leaf (StepBindingStark.RowLeaf): salt, the 784 quantized inputs, the 10 targets.
        int pack = int.TryParse(Environment.GetEnvironmentVariable("ZKML_POSEIDON_SPONGE_PACK"), out int k) ? k : 1;
        int bits = int.TryParse(Environment.GetEnvironmentVariable("ZKML_POSEIDON_SPONGE_RADIX_BITS"), out int b) ? b : 8;
        int rowVariables = rows <= 1 ? 0 : System.Numerics.BitOperations.Log2((uint)rows - 1) + 1;
        int variables = PoseidonSpongeLayout.TableVariables(rows, (Inputs + pack - 1) / pack + (Labels + pack - 1) / pack);
        long salts = 4L << variables, targets = salts + (16L << rowVariables), inputs = Align(targets + (16L << rowVariables), 1024L << rowVariables);
        long masks = Align(inputs + (1024L << rowVariables), PoseidonSpongeLayout.LibraEntries(variables));
        var layout = new PoseidonSpongeLayout(rows, [new(salts, 8, 8), new(inputs, 1024, Inputs, pack, 1UL << bits), new(targets, 16, Labels, pack, 1UL << bits)], 0, masks);
        int tableVariables = Multilinear.VariableCount((int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)layout.RequiredEntries));
        var table = new Goldilocks[1 << tableVariables];
        var rng = new Random(1);
        for (int row = 0; row < rows; row++)
        {
            for (int i = 0; i < 8; i++) table[salts + 8 * row + i] = Goldilocks.Random(rng);
            table[targets + 16 * row + rng.Next(Labels)] = Goldilocks.FromUInt64((1UL << bits) - 1);
            for (int i = 0; i < Inputs; i++) table[inputs + 1024 * row + i] = Goldilocks.FromUInt64((ulong)rng.Next(1 << bits));
        }
        var clock = Stopwatch.StartNew();
        var digests = PoseidonSpongeZeroCheck.FillTrace(layout, table);
        long fill = clock.ElapsedMilliseconds;
        PoseidonSpongeZeroCheck.FillMasks(layout, table, rng);
        clock.Restart();
        var result = PoseidonSpongeZeroCheck.Prove(new Transcript("cost", [1]), layout, table, digests);
        long prove = clock.ElapsedMilliseconds;
        var bytes = result.Proof.ToBytes();
        clock.Restart();
        Assert.True(PoseidonSpongeZeroCheck.Verify(new Transcript("cost", [1]), layout, digests, bytes, out var claims, out _));
        long verify = clock.ElapsedMilliseconds;
        output.WriteLine($"{rows} rows, pack {pack} (radix 2^{bits}): {layout.Permutations} permutations per row, trace tables 4 x 2^{layout.Variables} = {4 * layout.TableSize} entries " +
            $"({layout.TraceDataEntries} carrying data), caller's table 2^{tableVariables}");
        output.WriteLine($"fill trace {fill} ms, zero-check prove {prove} ms, verify {verify} ms (claims: {claims.Sum(c => c.Terms.Count)} terms), zero-check proof {bytes.Length} bytes, " +
            $"{claims.Length} linear claims for the caller's reduction");
    }

    private void MeasureOpening(int n)
    {
        var rng = new Random(n);
        var table = new Goldilocks[1 << n];
        for (int i = 0; i < table.Length; i++) table[i] = Goldilocks.FromUInt64((ulong)rng.Next(1 << 16));
        var parameters = new LigeroParameters(3, 124, true); // rate 1/8 and hiding as the step's stack; 124 queries, the stack's count when this cost was first measured
        var clock = Stopwatch.StartNew();
        var data = LigeroPcs.Commit(parameters, table, 1);
        long commit = clock.ElapsedMilliseconds;
        var transcript = new Transcript("cost", [2]);
        data.Commitment.AbsorbInto(transcript);
        clock.Restart();
        var opening = LigeroPcs.OpenHiding(transcript, data, Naive.RandomPoint(rng, n), 0, n - 1, out _);
        long open = clock.ElapsedMilliseconds;
        output.WriteLine($"hiding 2^{n} (rate 1/8, Q = {parameters.Queries}, rows {data.Commitment.DataRows}, message {data.Commitment.MessageLength}): commit {commit} ms, open {open} ms, opening {opening.ToBytes().Length} bytes");
    }

    private static long Align(long at, long alignment) => (at + alignment - 1) / alignment * alignment;
}
