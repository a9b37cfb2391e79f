using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The zero-knowledge step proof ("ZKST" v6, <see cref="SumcheckStep.ProveZeroKnowledge"/>): honest steps verify (4-3-3
/// batch 2, biases, a deeper network, batch 1 with biases, two chained steps), forgeries are rejected.
/// </summary>
public class ZeroKnowledgeStepTests
{
    internal static readonly QuantizedNetworkConfig Small = new(new NetworkDescription(4, [new DenseLayer(3, false), new DenseLayer(3, false)])) { BatchSize = 2 };
    internal static readonly long[] Inputs0 = [0, 1024, 512, 64, 1024, 1024, 0, 256];
    internal static readonly int[] Labels0 = [2, 0];
    internal static readonly long[] Inputs1 = [768, 0, 1024, 1024, 128, 896, 64, 0];
    internal static readonly int[] Labels1 = [1, 1];

    internal static readonly Lazy<(QuantizedNetwork Model, Step Step0, Step Step1)> Chain = new(() =>
    {
        var model = QuantizedNetwork.CreateInitial(Small, 3);
        var step0 = Prove(Small, 0, model, Inputs0, Labels0);
        var after = model.Clone();
        after.TrainStep(Inputs0, Labels0);
        // The next prover recomputes the chain's prover data from the weights and the seed.
        var before = State(Small, step0.Tables, true, Seed(0));
        var step1 = Prove(Small, 1, after, Inputs1, Labels1, before: before);
        return (model, step0, step1);
    });

    [Fact]
    public void TwoChainedStepsVerifyAndMatchTheReference()
    {
        var (model, step0, step1) = Chain.Value;
        Assert.True(Verify(step0, 0));
        Assert.True(Verify(step1, 1));
        // The chain: step 1's before-commitment is step 0's after-commitment.
        Assert.True(step1.Before.Commitment.Root.SequenceEqual(step0.After.Commitment.Root));
        var reference = model.Clone();
        reference.TrainStep(Inputs0, Labels0);
        Assert.Equal(StepTables.Unpad(step0.Tables.WeightsAfter[0], 3, 4, 4), reference.Weights(0).ToArray());
        Assert.Equal(StepTables.Unpad(step0.Tables.WeightsAfter[1], 3, 3, 4), reference.Weights(1).ToArray());
        Assert.NotEqual(model.Weights(0).ToArray(), reference.Weights(0).ToArray());
    }

    private static QuantizedNetworkConfig Network(int batch, params (int Width, bool Bias)[] layers) =>
        new(new NetworkDescription(4, layers.Select(l => new DenseLayer(l.Width, l.Bias)))) { BatchSize = batch };

    /// <summary>Seeded initial parameters with non-zero biases.</summary>
    private static QuantizedNetwork Initial(QuantizedNetworkConfig config)
    {
        var parameters = QuantizedNetwork.CreateInitial(config, 5).Parameters.ToArray();
        var rng = new Random(3);
        long offset = 0;
        for (int l = 0; l < config.Network.Layers.Count; l++)
        {
            offset += config.Network.WeightCount(l);
            if (!config.Network.Layers[l].HasBias) continue;
            for (int i = 0; i < config.Network.Layers[l].Width; i++) parameters[offset + i] = rng.Next(-300, 300);
            offset += config.Network.Layers[l].Width;
        }
        return new QuantizedNetwork(config, parameters);
    }

    public static TheoryData<int, int[], bool[]> Networks() => new()
    {
        { 3, new[] { 3, 3 }, new[] { true, true } },
        { 1, new[] { 3, 3 }, new[] { true, true } },
        { 2, new[] { 3, 3, 3 }, new[] { false, false, false } },
        { 2, new[] { 3, 3, 3 }, new[] { true, false, true } },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void HonestStepsVerifyAndMatchTheReference(int batch, int[] widths, bool[] bias)
    {
        var config = Network(batch, [.. widths.Zip(bias)]);
        var model = Initial(config);
        var inputs = Inputs0.Concat(Inputs1).Take(4 * batch).ToArray();
        var labels = Labels0.Concat(Labels1).Take(batch).ToArray();
        var step = Prove(config, 0, model, inputs, labels);
        Assert.True(Verify(step, 0));
        var reference = model.Clone();
        reference.TrainStep(inputs, labels);
        for (int l = 0; l < widths.Length; l++)
        {
            int fanIn = l == 0 ? 4 : widths[l - 1];
            Assert.Equal(reference.Weights(l).ToArray(), StepTables.Unpad(step.Tables.WeightsAfter[l], widths[l], fanIn, 1 << Common.BitMath.CeilingLog2(fanIn)));
        }
        // Another layer's weights after the step (an honest commitment to other values) is refused.
        var tampered = step.Tables.WeightsAfter[^1].ToArray();
        tampered[0]++;
        var biasesAfter = step.Tables.BiasLayers.Select(l => step.Tables.BiasesAfter[l]).ToArray();
        var after = SumcheckStep.CommitState(config, [.. step.Tables.WeightsAfter[..^1], tampered], biasesAfter, Seed(0)).Commitment;
        Assert.False(Verify(step, 0, after: after));
    }

    [Fact]
    public void TamperedWeightsBeforeOrAfterAreRejected()
    {
        var (_, step0, _) = Chain.Value;
        for (int l = 0; l < 2; l++)
        {
            var w = step0.Tables.Weights.Select(t => t.ToArray()).ToArray();
            w[l][1]--;
            Assert.False(Verify(step0, 0, before: SumcheckStep.CommitState(Small, w, [], Seed(-1)).Commitment));
        }
        // The states swapped, or the before state given as both.
        Assert.False(Verify(step0, 0, before: step0.After.Commitment, after: step0.Before.Commitment));
        Assert.False(Verify(step0, 0, after: step0.Before.Commitment));
    }

    [Fact]
    public void AnotherStepIndexBatchOrTruncatedOrFlippedProofIsRejected()
    {
        var (_, step0, step1) = Chain.Value;
        Assert.False(Verify(step0, 1));
        Assert.False(Verify(step1, 0));
        // Another batch: the digests of other rows (one input changed), or of step 1's rows.
        var inputs = Inputs0.ToArray();
        inputs[1]++;
        var other = Digests(Small, Tables(Small, QuantizedNetwork.CreateInitial(Small, 3), inputs, Labels0), step0.Salts);
        Assert.False(Verify(step0, 0, digests: other));
        Assert.False(Verify(step0, 0, digests: step1.Digests));
        Assert.False(Verify(step0, 0, digests: [step0.Digests[1], step0.Digests[0], .. step0.Digests[2..]]));
        var proof = step0.Proof;
        Assert.False(Verify(step0, 0, proof[..^1]));
        Assert.False(Verify(step0, 0, proof[..(proof.Length / 2)]));
        Assert.False(Verify(step0, 0, [.. proof, 0]));
        var rng = new Random(7);
        for (int i = 0; i < 32; i++) Assert.False(Verify(step0, 0, ZeroKnowledgeBlocks.Flip(proof, rng, i))); // the header's bytes, then random ones
        // The same proof labelled v5 (one commitment per layer's table) or v3 (the removed step without zero knowledge).
        foreach (ushort version in new ushort[] { 5, 3 })
        {
            var relabelled = proof.ToArray();
            BitConverter.GetBytes(version).CopyTo(relabelled, 4);
            Assert.False(Verify(step0, 0, relabelled));
        }
    }

    public static TheoryData<string> Forgeries() => ["update", "decrement", "quotient", "remainder", "activation", "mask", "hadamard", "error", "backward"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void AForgedTableIsRejected(string forgery)
    {
        var model = QuantizedNetwork.CreateInitial(Small, 3);
        Action<StepTables> forge = forgery switch
        {
            "update" => t => t.WeightsAfter[0][1]++,
            "decrement" => t => { t.Delta[1][0]++; t.WeightsAfter[1][0]--; },
            "quotient" => t => t.Z[0][0]++,
            "remainder" => t => t.R[1][0] = (t.R[1][0] + 1) % (1L << Small.FractionBits),
            "activation" => t => t.H[0][Array.FindIndex(t.S[0], v => v == 1)]++,
            "mask" => t =>
            {
                int e = Array.FindIndex(t.S[0], v => v == 1);
                (t.S[0][e], t.H[0][e]) = (0, 0);
                t.Z[0][e] = 0;
            },
            "hadamard" => t => t.D[0][0] += 1,
            "error" => t => t.E[0]++,
            _ => t => t.Q[1][0]++,
        };
        bool rejected;
        try
        {
            var step = Prove(Small, 0, model, Inputs0, Labels0, forge);
            rejected = !Verify(step, 0);
        }
        catch (ArgumentOutOfRangeException)
        {
            rejected = true; // the forged table has no limbs in range: no proof at all
        }
        Assert.True(rejected);
    }

    [Fact]
    public void EveryVisibleValueChangesWithTheMasksAndNoneIsAnUnmaskedEvaluation()
    {
        var model = QuantizedNetwork.CreateInitial(Small, 3);
        var tables = Tables(Small, model, Inputs0, Labels0);
        var salts = Salts(Small.BatchSize, 0);
        var digests = Digests(Small, tables, salts);
        (IReadOnlyList<ZkMl.Sumcheck.ZkLinearClaim> Claims, IReadOnlyList<ZkMl.Field.GoldilocksExt2> Values, ZkMl.Field.Goldilocks[][] Tables) Run(int chain, out byte[] proof)
        {
            StepProver? captured = null;
            var w = State(Small, tables, false, Seed(chain));
            var wa = State(Small, tables, true, Seed(chain + 5));
            proof = SumcheckStep.ProveZeroKnowledge(Digest(0), Small, tables, w, wa, salts, inspect: s => captured = s);
            Assert.True(SumcheckStep.VerifyZeroKnowledge(Digest(0), Small, digests, w.Commitment, wa.Commitment, proof));
            return captured!.ZeroKnowledgeClaims;
        }
        var a = Run(0, out var proofA);
        var b = Run(1, out var proofB);
        Assert.Equal(a.Values.Count, b.Values.Count);
        // No final or Libra value repeats between the two proofs (fresh masks), and no masked final equals its unmasked part.
        Assert.Empty(a.Values.Intersect(b.Values));
        int masked = 0;
        foreach (var (claims, values, committed) in new[] { a, b })
            for (int j = 0; j < claims.Count; j++)
            {
                if (claims[j].Terms.Count != 2) continue;
                masked++;
                var eq = claims[j].Terms[0];
                Assert.NotEqual(eq.Apply(committed[eq.Table]), values[j]);
            }
        Assert.True(masked > 100);
        // No 64-bit string of one proof appears anywhere in the other, apart from the format's integers (lengths, shapes, counts: words with a zero byte are skipped).
        var words = new HashSet<ulong>();
        for (int i = 0; i + 8 <= proofA.Length; i++) words.Add(BitConverter.ToUInt64(proofA, i));
        int same = 0;
        for (int i = 0; i + 8 <= proofB.Length; i++)
        {
            ulong y = BitConverter.ToUInt64(proofB, i);
            if (NoZeroByte(y) && words.Contains(y)) same++;
        }
        Assert.Equal(0, same);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void ALimbOutsideTheRangeTableIsCaughtByTheLookup(int direction)
    {
        // Z's low limb moved by +-2^16 out of [0, 2^16) and the next limb compensating: every recomposition still holds, so
        // only the shared lookup (whose multiplicities cannot count the stray limb) can refuse it.
        var model = QuantizedNetwork.CreateInitial(Small, 3);
        var tables = Tables(Small, model, Inputs0, Labels0);
        var w = State(Small, tables, false, Seed(-1));
        var wa = State(Small, tables, true, Seed(0));
        int rLimbs = RangeLimbs.Count(Small.FractionBits);
        var salts = Salts(Small.BatchSize, 0);
        var proof = SumcheckStep.ProveZeroKnowledge(Digest(0), Small, tables, w, wa, salts, forgeLimbs: limbs =>
        {
            var (low, high) = (limbs[0][rLimbs], limbs[0][rLimbs + 1]);
            low[0] += ZkMl.Field.Goldilocks.FromInt64(direction * (1L << 16));
            high[0] -= ZkMl.Field.Goldilocks.FromInt64(direction);
        });
        Assert.False(SumcheckStep.VerifyZeroKnowledge(Digest(0), Small, Digests(Small, tables, salts), w.Commitment, wa.Commitment, proof));
    }

    [Fact]
    public void CommitmentsWithOtherParametersAreRefused()
    {
        var (_, step0, _) = Chain.Value;
        var proof = step0.Proof;
        var reader = new ZkMl.Sumcheck.ProofReader(proof, "ZKST", StepProver.ZeroKnowledgeVersion);
        ZkMl.Sumcheck.LigeroCommitment.ReadFrom(ref reader);
        int maskAt = proof.Length - reader.Remaining;
        // The stack's and the reduction mask set's queries (u32 after the rate), each set to 1.
        foreach (int at in new[] { 6 + 4, maskAt + 4 })
        {
            var forged = proof.ToArray();
            BitConverter.GetBytes(1u).CopyTo(forged, at);
            Assert.False(Verify(step0, 0, forged));
        }
    }

    private static bool NoZeroByte(ulong word)
    {
        for (int b = 0; b < 8; b++)
            if ((word >> (8 * b) & 0xFF) == 0) return false;
        return true;
    }
}
