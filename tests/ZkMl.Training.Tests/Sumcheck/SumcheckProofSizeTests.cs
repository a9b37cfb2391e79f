using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Xunit.Abstractions;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Where a step proof's bytes go: the outer commitments, membership, and inside the step each Ligero opening by part
/// (evaluation and proximity rows, opened columns, Merkle multi-proof; from the <c>open</c> phase's tags), the point
/// reductions, the shared lookup and the blocks' sumchecks. The shape is 64-32-10/16 unless ZKML_SUMCHECK_SIZE names
/// another (e.g. <c>784-128-10/64</c>, which also times prove and verify, best of three).
/// </summary>
public class SumcheckProofSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void TheProofsPartsAddUpToItsBytes()
    {
        string shape = Environment.GetEnvironmentVariable("ZKML_SUMCHECK_SIZE") ?? "64-32-10/16";
        int[] p = [.. shape.Split('-', '/').Select(int.Parse)];
        var config = new QuantizedMlpConfig { InputSize = p[0], HiddenSize = p[1], OutputSize = p[2], BatchSize = p[3] };
        var network = QuantizedNetworkConfig.FromMlp(config);
        const int rows = 256;
        var rng = new Random(7);
        var data = new QuantizedDataset(config.InputSize,
            [.. Enumerable.Range(0, rows * config.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), config.FractionBits))],
            [.. Enumerable.Range(0, rows).Select(_ => rng.Next(config.OutputSize))]);
        var committed = new LigeroProverData[rows];
        Parallel.For(0, rows, i => committed[i] = SumcheckStep.Commit(BatchMembership.RowTable(network, data.Row(i), data.Labels[i])));
        var salts = Enumerable.Range(0, rows).Select(_ => RandomNumberGenerator.GetBytes(BatchMembership.SaltBytes)).ToArray();
        var tree = BatchMembership.Tree([.. committed.Select((r, i) => BatchMembership.Leaf(salts[i], r.Commitment))]);
        int[] batch = SeededBatchSchedule.Rows(SHA256.HashData("size seed"u8), rows, config.BatchSize, 0);
        var model = QuantizedMlp.CreateInitial(config, 42);
        var inputs = new long[config.BatchSize * config.InputSize];
        var labels = new int[config.BatchSize];
        data.GatherBatch(batch, inputs, labels);
        var after = model.Clone();
        after.TrainStep(inputs, labels);
        var statement = new StepStatement([.. SHA256.HashData("contract"u8)], 0,
            [.. SumcheckStepProof.WeightsCommitment(config, model.Weights1, model.Weights2).Digest],
            [.. SumcheckStepProof.WeightsCommitment(config, after.Weights1, after.Weights2).Digest], [.. tree.Root], rows, [.. batch]);
        byte[] Prove() => SumcheckStepProof.Prove(statement, model, inputs, labels, tree, [.. batch.Select(r => salts[r])]);

        var openings = new ConcurrentQueue<Activity>();
        var phases = new ConcurrentDictionary<string, double>();
        int thread = Environment.CurrentManagedThreadId; // other tests running in parallel open too
        byte[] proof;
        using (var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SumcheckTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (Environment.CurrentManagedThreadId != thread) return;
                if (a.OperationName == "open") openings.Enqueue(a);
                phases.AddOrUpdate(a.OperationName, a.Duration.TotalMilliseconds, (_, v) => v + a.Duration.TotalMilliseconds);
            },
        })
        {
            ActivitySource.AddActivityListener(listener);
            proof = Prove();
        }
        Assert.True(SumcheckStepProof.Verify(statement, config, proof));

        // The outer format: 2L commitments, then membership and step, each with its 4-byte length.
        var reader = new ProofReader(proof, "ZKSP", 2);
        for (int i = 0; i < 4; i++) LigeroCommitment.ReadFrom(ref reader);
        int header = proof.Length - reader.Remaining;
        int membership = (int)reader.ReadUInt32(uint.MaxValue);
        reader.ReadBytes(membership);
        int step = (int)reader.ReadUInt32(uint.MaxValue);
        Assert.Equal(proof.Length, header + 8 + membership + step);

        long Tag(Activity a, string key) => Convert.ToInt64(a.GetTagItem(key));
        var opened = openings.ToArray();
        Assert.Equal(SumcheckSoundness.Openings(2), opened.Length);
        string[] names = ["W1", "W2", "W1'", "W2'", "stack"];
        long openingBytes = 0, reductionBytes = 0;
        var shapes = StepTables.ShapesFor(network);
        var (tables, limbs) = SumcheckStep.PrivateVariables(network);
        var layout = new StackLayout(tables, [.. limbs.SelectMany(b => b)], RangeLimbs.LimbBits);
        for (int i = 0; i < opened.Length; i++)
        {
            var a = opened[i];
            long rowsBytes = Tag(a, "ligero.bytes.rows"), columns = Tag(a, "ligero.bytes.columns"), merkle = Tag(a, "ligero.bytes.merkle");
            long total = 21 + rowsBytes + columns + merkle;
            openingBytes += total;
            int variables = (int)Tag(a, "ligero.variables");
            reductionBytes += 8 + 16L * 2 * (variables + 1); // every commitment here takes several claims: one degree-2 point reduction (values at 0 and 2, two finals)
            output.WriteLine($"{names[i]}: 2^{variables} entries, {Tag(a, "ligero.rows")} rows, {Tag(a, "ligero.queries")} columns opened: " +
                $"{total} bytes = rows {rowsBytes} + columns {columns} + Merkle {merkle} (+21 header)");
        }
        Assert.Equal(layout.Variables, Tag(opened[^1], "ligero.variables"));
        long used = Enumerable.Range(0, tables.Length).Select(i => layout.Table(i)).Append(layout.Region).Append(layout.Multiplicities).Max(t => t.Offset + (1L << t.Variables));
        long limbsUsed = Enumerable.Range(0, limbs.Sum(b => b.Length)).Select(j => layout.Limbs(j)).Max(t => t.Offset + (1L << t.Variables)) - layout.Region.Offset;
        output.WriteLine($"stack: {used} of 2^{layout.Variables} entries used; limb region 2^{layout.Region.Variables} at {layout.Region.Offset}, {limbsUsed} used");
        var lookup = LogUpLookup.Prove(new Transcript("size", []), RangeLimbs.Table, new Goldilocks[1 << RangeLimbs.LimbBits], new Goldilocks[1 << layout.Region.Variables]);
        var lookupWriter = new ProofWriter("SIZE", 1);
        lookup.Proof.WriteTo(lookupWriter);
        long lookupBytes = lookupWriter.ToArray().Length - 6;
        long blocks = step - openingBytes - reductionBytes - lookupBytes;
        output.WriteLine($"{shape}: proof {proof.Length} bytes; commitments {header}, membership {membership}, step {step} = openings {openingBytes} " +
            $"+ point reductions {reductionBytes} + lookup {lookupBytes} + blocks (sumchecks, values, stack commitment) {blocks}; " +
            $"{SumcheckSoundness.Bits(network, SumcheckStep.Parameters):F2} bits; shapes {string.Join(" ", shapes.Select(s => $"{s.OutputVariables}/{s.InnerVariables}"))}; " +
            $"first (cold) proof's phases: {string.Join(", ", phases.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:F0} ms"))}");
        Assert.True(blocks > 0 && blocks < step / 2, $"blocks {blocks}");

        if (Environment.GetEnvironmentVariable("ZKML_SUMCHECK_SIZE") is null) return;
        double prove = double.MaxValue, verify = double.MaxValue, cpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int run = 0; run < 3; run++)
        {
            var clock = Stopwatch.StartNew();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            proof = Prove();
            prove = Math.Min(prove, clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu = Math.Min(cpu, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            clock.Restart();
            Assert.True(SumcheckStepProof.Verify(statement, config, proof));
            verify = Math.Min(verify, clock.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"{shape}: prove {prove:F0} ms ({cpu:F0} ms of CPU), verify {verify:F0} ms (best of three), {proof.Length} bytes");
    }
}
