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
/// Where a zero-knowledge step proof's bytes go: the outer commitments, membership, and inside the step the stack and
/// reduction-mask commitments, the blocks' zero-checks, the lookup's GKR, the joint reduction (its sumcheck and each
/// hiding opening) and the reduction mask's opening. The shape is 64-32-10/16 unless ZKML_SUMCHECK_SIZE names
/// another (e.g. <c>784-128-10/64</c>, which also times prove and verify, best of three; any depth, a "b" after a
/// width for a layer with a bias: <c>64-32b-32b-32b-32b-32b-32b-32b-10b/16</c>).
/// </summary>
public class SumcheckProofSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void TheProofsPartsAddUpToItsBytes()
    {
        string shape = Environment.GetEnvironmentVariable("ZKML_SUMCHECK_SIZE") ?? "64-32-10/16";
        string[] p = shape.Split('-', '/');
        bool mlp = p.Length == 4 && !shape.Contains('b');
        var network = mlp
            ? QuantizedNetworkConfig.FromMlp(new QuantizedMlpConfig { InputSize = int.Parse(p[0]), HiddenSize = int.Parse(p[1]), OutputSize = int.Parse(p[2]), BatchSize = int.Parse(p[^1]) })
            : new QuantizedNetworkConfig(new NetworkDescription(int.Parse(p[0]), p[1..^1].Select(w => new DenseLayer(int.Parse(w.TrimEnd('b')), w.EndsWith('b'))))) { BatchSize = int.Parse(p[^1]) };
        var config = network;
        const int rows = 256;
        var rng = new Random(7);
        int inputSize = network.Network.InputSize, outputSize = network.Network.OutputSize;
        var data = new QuantizedDataset(inputSize,
            [.. Enumerable.Range(0, rows * inputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), config.FractionBits))],
            [.. Enumerable.Range(0, rows).Select(_ => rng.Next(outputSize))]);
        var salts = ZeroKnowledgeSteps.Salts(rows, 7);
        var leaves = new byte[rows][];
        Parallel.For(0, rows, i => leaves[i] = BatchMembership.Leaf(network, data.Row(i), data.Labels[i], salts[i]));
        var tree = BatchMembership.Tree(leaves);
        int[] batch = SeededBatchSchedule.Rows(SHA256.HashData("size seed"u8), rows, config.BatchSize, 0);
        var model = mlp ? QuantizedNetwork.FromMlp(QuantizedMlp.CreateInitial(new QuantizedMlpConfig { InputSize = inputSize, HiddenSize = int.Parse(p[1]),
            OutputSize = outputSize, BatchSize = config.BatchSize }, 42)) : QuantizedNetwork.CreateInitial(network, 42);
        var inputs = new long[config.BatchSize * inputSize];
        var labels = new int[config.BatchSize];
        data.GatherBatch(batch, inputs, labels);
        var after = model.Clone();
        after.TrainStep(inputs, labels);
        var statement = new StepStatement([.. SHA256.HashData("contract"u8)], 0,
            [.. SumcheckStepProof.WeightsCommitment(model, SumcheckStepProofTests.Salt(0)).Digest],
            [.. SumcheckStepProof.WeightsCommitment(after, SumcheckStepProofTests.Salt(1)).Digest], [.. tree.Root], rows, [.. batch]);
        byte[] Prove() => SumcheckStepProof.Prove(statement, model, inputs, labels, tree, [.. batch.Select(r => salts[r])], SumcheckStepProofTests.Salt(0), SumcheckStepProofTests.Salt(1));

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
                phases.AddOrUpdate(a.OperationName, a.Duration.TotalMilliseconds, (_, v) => v + a.Duration.TotalMilliseconds);
            },
        })
        {
            ActivitySource.AddActivityListener(listener);
            proof = Prove();
        }
        Assert.True(SumcheckStepProof.Verify(statement, config, proof));

        // The outer format ("ZKSP" v5): the two weight states' commitments, then membership and step, each with its 4-byte length.
        var reader = new ProofReader(proof, "ZKSP", 5);
        for (int i = 0; i < 2; i++) LigeroCommitment.ReadFrom(ref reader);
        int header = proof.Length - reader.Remaining;
        int membership = (int)reader.ReadUInt32(uint.MaxValue);
        reader.ReadBytes(membership);
        int step = (int)reader.ReadUInt32(uint.MaxValue);
        Assert.Equal(proof.Length, header + 8 + membership + step);

        // The zero-knowledge step ("ZKST" v6): stack and reduction-mask commitments, one zero-check per block, the membership
        // sponge's zero-check, the two lookups' GKR steps (shared, input), the joint reduction (its sumcheck and one hiding opening per commitment), the
        // reduction mask's opening.
        var (blocks, layout, zkMembership) = SumcheckStep.ZeroKnowledgeLayout(network);
        var inner = new ProofReader(proof.AsSpan(proof.Length - step, step), "ZKST", StepProver.ZeroKnowledgeVersion);
        int Mark(ref ProofReader r) => step - r.Remaining;
        LigeroCommitment.ReadFrom(ref inner);
        LigeroCommitment.ReadFrom(ref inner);
        int commitments = Mark(ref inner) - 6;
        foreach (var _ in blocks) ZkSumcheckProof.ReadFrom(ref inner);
        ZkSumcheckProof.ReadFrom(ref inner);
        int zeroChecks = Mark(ref inner) - 6 - commitments;
        for (int i = 0; i < ZeroKnowledgeStep.LookupVariables(layout) + zkMembership.InputLookupVariables(layout); i++) ZkSumcheckProof.ReadFrom(ref inner);
        int lookup = Mark(ref inner) - 6 - commitments - zeroChecks;
        var reduction = ZkLinearReductionProof.ReadFrom(ref inner);
        int reduced = Mark(ref inner) - 6 - commitments - zeroChecks - lookup;
        LigeroOpening.ReadFrom(ref inner);
        int mask = Mark(ref inner) - 6 - commitments - zeroChecks - lookup - reduced;
        inner.EnsureEnd();
        string[] names = ["stack", "state", "state'"];
        var openingBytes = reduction.Openings.Select(o =>
        {
            var w = new ProofWriter("SIZE", 1);
            o.WriteTo(w);
            return w.ToArray().Length - 6;
        }).ToArray();
        // The reduction's own messages (rounds, finals, mask value and counts): what its openings leave.
        int reductionSumcheck = reduced - openingBytes.Sum();
        output.WriteLine($"{shape}: proof {proof.Length} bytes; commitments {header}, membership {membership}, step {step} = stack and mask commitments {commitments} " +
            $"+ {blocks.Length} block zero-checks {zeroChecks} + lookup GKRs {lookup} + reduction {reduced} (sumcheck {reductionSumcheck}, openings " +
            $"{string.Join(", ", openingBytes.Select((b, i) => $"{names[i]} {b}"))}) + reduction mask opening {mask} (+6 header); stack 2^{layout.Variables}, " +
            $"{layout.Used} entries committed, limb region 2^{layout.Region.Variables}; {SumcheckSoundness.ZeroKnowledgeBits(network):F2} bits; " +
            $"first (cold) proof's phases: {string.Join(", ", phases.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:F0} ms"))}");
        Assert.Equal(SumcheckSoundness.ZeroKnowledgeOpeningCount, reduction.Openings.Count);
        Assert.Equal(step, 6 + commitments + zeroChecks + lookup + reduced + mask);

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
