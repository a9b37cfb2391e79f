using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// How the zero-knowledge step's per-commitment (rate, Q) were chosen with grinding (docs/sumcheck-step.md, "Grinding"):
/// an exhaustive search over the stack's, the chain's and the reduction mask's (rate 1/8 or 1/16, Q) at the pinned
/// grinding bits, keeping every preset's composed bits at least 100.5 and minimising the modelled opening bytes at
/// 784-128-10/64; the pinned parameters must be that optimum (or as small), and the model must match measured bytes.
/// </summary>
public class GrindingParameterSearchTests(ITestOutputHelper output)
{
    private const double FieldBits = 127.99999999966;
    private const double Floor = 100.5;

    internal static readonly (string Shape, int Batch)[] Presets =
        [("4-3-3", 2), ("64-32-10", 16), ("784-128-10", 64), ("784-128b-10b", 64), ("784-512-10", 128), ("784-128-10", 1024), ("64-32b-32b-32b-32b-32b-32b-32b-10b", 16), ("4-3-3-3-3-3-3-3-3", 2)];

    internal static QuantizedNetworkConfig Config(string shape, int batch)
    {
        var sizes = shape.Split('-');
        return new QuantizedNetworkConfig(new NetworkDescription(int.Parse(sizes[0]),
            sizes.Skip(1).Select(w => new DenseLayer(int.Parse(w.TrimEnd('b')), w.EndsWith('b'))))) { BatchSize = batch };
    }

    /// <summary>
    /// (stack variables, stack entries, chain variables per opening, chain entries) of a preset; merged (an estimate of
    /// s12-chain's layout): one chain commitment per state, every padded weight and bias table back to back with a
    /// zero tail, opened twice per step (0 entries: full tables).
    /// </summary>
    private static (int Variables, long Entries, int[] Chain, long ChainEntries) Layout(QuantizedNetworkConfig c, bool merged)
    {
        var shapes = StepTables.ShapesFor(c);
        var (_, layout, _) = SumcheckStep.ZeroKnowledgeLayout(c);
        int layers = c.Network.Layers.Count;
        var weights = Enumerable.Range(0, layers).Select(l => SumcheckStep.WeightVariables(shapes, l)).ToArray();
        var biases = StepTables.BiasLayersOf(c).Select(l => SumcheckStep.BiasVariables(shapes, l)).ToArray();
        var state = WeightStateLayout.For(c);
        int[] chain = merged
            ? [state.Variables, state.Variables]
            : [.. weights, .. weights, .. biases, .. biases];
        return (layout.Variables, Math.Max(layout.Used, 1), chain, merged ? state.Used : 0);
    }

    /// <summary>
    /// Modelled bytes of one hiding opening at one point (points evaluation rows): the counts, the nonce, the rows of
    /// SentLength extension elements, the expected distinct columns with salts, and the expected Merkle multi-proof.
    /// </summary>
    internal static double Bytes(LigeroCommitment s, int points = 1)
    {
        int q = s.Parameters.Queries;
        double Distinct(double n) => n * (1 - Math.Pow(1 - 1 / n, q));
        int depth = System.Numerics.BitOperations.Log2((ulong)s.ColumnCount);
        double merkle = 0;
        for (int l = 0; l < depth; l++) merkle += 2 * Distinct(s.ColumnCount >> (l + 1)) - Distinct(s.ColumnCount >> l);
        return 21 + (s.Parameters.GrindingBits > 0 ? 8 : 0) + 16.0 * (points + 1) * s.SentLength + Distinct(s.ColumnCount) * (8.0 * s.Rows + 32) + 32 * merkle;
    }

    [Fact]
    public void TheModelMatchesTheMeasuredOpenings()
    {
        // Measured 784-128-10/64 at the pinned parameters (stack (3, 105, compact), chain (4, 96, 2 slots), mask (4, 96), 16
        // grinding bits; one chain commitment per weight state; `ZKML_SUMCHECK_SIZE=784-128-10/64` SumcheckProofSizeTests,
        // 3 Dec 04:54): openings stack 568,989, state 156,701 and 156,989, reduction mask 56,581 bytes (stack (3, 94) not
        // compact: 542,669, 2 Dec 20:30).
        var (variables, entries, chain, chainEntries) = Layout(Config("784-128-10", 64), merged: true);
        var stack = LigeroCommitment.Canonical(SumcheckStep.ZeroKnowledgeStackParameters, variables, entries, 1);
        var state = LigeroCommitment.Canonical(SumcheckStep.ChainParameters, chain[0], chainEntries, SumcheckStep.ChainSlots);
        output.WriteLine($"stack 2^{variables} ({entries} entries): {stack.DataRows} data rows of {stack.RowLength}, L {stack.ColumnCount}: model {Bytes(stack):F0} (measured 568989)");
        output.WriteLine($"state 2^{chain[0]} ({chainEntries} entries): {state.Rows} rows of {state.RowLength}, L {state.ColumnCount}: model {Bytes(state):F0} (measured 156765-157437)");
        Assert.InRange(Bytes(stack), 568989 * 0.98, 568989 * 1.02);
        Assert.InRange(Bytes(state), 157101 * 0.98, 157101 * 1.02);
    }

    /// <summary>
    /// The pinned parameters are the search's optimum at <see cref="SumcheckStep.Grinding"/> bits (the stack kept at rate
    /// 1/8), to 0.5% of the modelled bytes, with one chain commitment per weight state (two chain openings per step).
    /// </summary>
    [Fact]
    public void ThePinnedParametersAreTheOptimum()
    {
        var (stack, chain, mask) = (SumcheckStep.ZeroKnowledgeStackParameters, SumcheckStep.ChainParameters, SumcheckStep.ReductionMaskParameters);
        bool any = false;
        foreach (bool merged in new[] { true })
        {
            // The stack coded compact (its actual rate above 1/8): the search over compact stacks.
            var best = Search(SumcheckStep.Grinding, merged, compactStack: stack.Compact);
            double pinned = ModelBytes(stack, chain, mask, merged);
            output.WriteLine($"{(merged ? "merged" : "as now")}: pinned {pinned:F0} modelled bytes, optimum {best.Bytes:F0} " +
                $"(stack Q {best.Stack.Queries}, chain Q {best.Chain.Queries}, mask Q {best.Mask.Queries}, min {best.MinBits:F2} bits)");
            any |= pinned <= best.Bytes * 1.005;
        }
        Assert.True(any, "The pinned parameters are more than 0.5% above the optimum for either chain layout.");
    }

    /// <summary>Modelled opening bytes at 784-128-10/64 with the given parameters.</summary>
    private static double ModelBytes(LigeroParameters stack, LigeroParameters chain, LigeroParameters mask, bool merged)
    {
        var (variables, entries, chainVariables, chainEntries) = Layout(Config("784-128-10", 64), merged);
        var openings = SumcheckSoundness.ZeroKnowledgeOpenings(variables, entries, [.. chainVariables.Select(v => (v, chainEntries))], stack, chain, mask);
        if (chainEntries > 0)
            for (int o = 1; o <= chainVariables.Length; o++) openings[o] = LigeroCommitment.Canonical(chain, chainVariables[o - 1], chainEntries, SumcheckStep.ChainSlots);
        return Bytes(openings[0]) + openings.Skip(1).Take(chainVariables.Length).Sum(o => Bytes(o)) + Bytes(openings[^1], 2);
    }

    /// <summary>Each pinned commitment's shape and bits per preset (printed for docs/sumcheck-step.md, "Grinding").</summary>
    [Fact]
    public void PrintThePerCommitmentBits()
    {
        foreach (var (shape, batch) in Presets)
        {
            var c = Config(shape, batch);
            var (variables, entries, chain, _) = Layout(c, merged: false);
            var openings = SumcheckSoundness.ZeroKnowledgeOpenings(variables, entries, [.. chain.Select(v => (v, 0L))]);
            string One(LigeroCommitment o) => $"2^{o.Variables} {o.DataRows}x{o.RowLength} L 2^{System.Numerics.BitOperations.Log2((ulong)o.ColumnCount)} " +
                $"{o.SoundnessBits - o.Parameters.GrindingBits:F1}+{o.Parameters.GrindingBits}={o.SoundnessBits:F1}";
            output.WriteLine($"{shape}/{batch}: stack {One(openings[0])}; chain {string.Join(", ", openings.Skip(1).Take(chain.Length).Select(One).Distinct())} " +
                $"({chain.Length} openings); mask {One(openings[^1])}; composed {SumcheckSoundness.ZeroKnowledgeBits(c):F2}");
            Assert.True(openings.All(o => o.Parameters.GrindingBits == SumcheckStep.Grinding));
        }
    }

    /// <summary>The search itself (printed: the optimum per grinding setting, current and merged chain counts).</summary>
    [Theory]
    [InlineData(0, false, false)]
    [InlineData(16, false, false)]
    [InlineData(18, false, false)]
    [InlineData(20, false, false)]
    [InlineData(16, true, false)]
    [InlineData(18, true, false)]
    [InlineData(20, true, false)]
    [InlineData(18, false, true)]
    [InlineData(16, true, false, true, 100.0)]
    [InlineData(16, true, false, true, 100.5)]
    public void SearchTheParameters(int grinding, bool merged, bool stackAtOneSixteenth, bool compactStack = false, double floor = Floor)
    {
        var best = Search(grinding, merged, stackAtOneSixteenth, compactStack, floor);
        static string P(LigeroParameters p) => $"(1/{1 << p.RateLog}, Q {p.Queries}, {p.SoundnessBits:F1} bits nominal)";
        output.WriteLine($"grinding {grinding}, {(merged ? "merged chain (2 openings)" : "chain as now")}{(stackAtOneSixteenth ? ", stack may take 1/16" : "")}{(compactStack ? ", stack compact" : "")}, floor {floor}: stack {P(best.Stack)}, chain {P(best.Chain)}, mask {P(best.Mask)}: " +
            $"{best.Bytes:F0} modelled opening bytes at 784-128-10/64 (stack {best.Parts[0]:F0}, chain {best.Parts[1]:F0}, mask {best.Parts[2]:F0}), min {best.MinBits:F2} bits composed");
    }

    internal static (LigeroParameters Stack, LigeroParameters Chain, LigeroParameters Mask, double Bytes, double MinBits, double[] Parts) Search(int grinding, bool merged, bool stackAtOneSixteenth = false,
        bool compactStack = false, double floor = Floor)
    {
        var configs = Presets.Select(p => Config(p.Shape, p.Batch)).ToArray();
        var layouts = configs.Select(c => Layout(c, merged)).ToArray();
        var algebraic = configs.Select(c => SumcheckSoundness.ZeroKnowledgeTerms(c).Algebraic).ToArray();
        int target = Array.FindIndex(Presets, p => p.Shape == "784-128-10" && p.Batch == 64);
        var candidates = new List<(int Rate, int Queries)>();
        foreach (int rate in new[] { 3, 4 })
            for (int q = 30; q <= 140; q++) candidates.Add((rate, q));
        int k = candidates.Count, presets = configs.Length;
        // Per kind and candidate: each preset's error terms (queries and L / p^2) and the target's bytes.
        var error = new double[3][,];
        var bytes = new double[3][];
        for (int kind = 0; kind < 3; kind++) { error[kind] = new double[k, presets]; bytes[kind] = new double[k]; }
        for (int i = 0; i < k; i++)
        {
            var (rate, q) = candidates[i];
            var s = new LigeroParameters(rate, q, true, 1, false, grinding);
            var st = s with { Compact = compactStack };
            var ch = new LigeroParameters(rate, q, true, 2, false, grinding);
            for (int p = 0; p < presets; p++)
            {
                var (variables, entries, chain, chainEntries) = layouts[p];
                var openings = SumcheckSoundness.ZeroKnowledgeOpenings(variables, entries, [.. chain.Select(v => (v, chainEntries))], st, ch, s);
                if (chainEntries > 0)
                    for (int o = 1; o <= chain.Length; o++) openings[o] = LigeroCommitment.Canonical(ch, chain[o - 1], chainEntries, SumcheckStep.ChainSlots);
                double Err(LigeroCommitment o) => Math.Pow(2, -o.SoundnessBits) + o.ColumnCount * Math.Pow(2, -FieldBits);
                error[0][i, p] = Err(openings[0]);
                error[1][i, p] = openings.Skip(1).Take(chain.Length).Sum(Err);
                error[2][i, p] = Err(openings[^1]);
                if (p == target)
                {
                    bytes[0][i] = Bytes(openings[0]);
                    bytes[1][i] = openings.Skip(1).Take(chain.Length).Sum(o => Bytes(o));
                    bytes[2][i] = Bytes(openings[^1], 2);
                }
            }
        }
        double bestBytes = double.MaxValue, bestMin = 0;
        (int S, int C, int M) bestIndex = (0, 0, 0);
        double limit = Math.Pow(2, -floor);
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                if (bytes[0][a] + bytes[1][b] >= bestBytes || (!stackAtOneSixteenth && candidates[a].Rate != 3)) continue;
                for (int m = 0; m < k; m++)
                {
                    double total = bytes[0][a] + bytes[1][b] + bytes[2][m];
                    if (total >= bestBytes) continue;
                    double worst = 0;
                    for (int p = 0; p < presets; p++) worst = Math.Max(worst, algebraic[p] + error[0][a, p] + error[1][b, p] + error[2][m, p]);
                    if (worst > limit) continue;
                    (bestBytes, bestMin, bestIndex) = (total, -Math.Log2(worst), (a, b, m));
                }
            }
        var (sr, sq) = candidates[bestIndex.S];
        var (cr, cq) = candidates[bestIndex.C];
        var (mr, mq) = candidates[bestIndex.M];
        return (new LigeroParameters(sr, sq, true, 1, compactStack, grinding), new LigeroParameters(cr, cq, true, 2, false, grinding),
            new LigeroParameters(mr, mq, true, 1, false, grinding), bestBytes, bestMin, [bytes[0][bestIndex.S], bytes[1][bestIndex.C], bytes[2][bestIndex.M]]);
    }
}
