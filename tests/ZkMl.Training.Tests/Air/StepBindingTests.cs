using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Training.Air;

namespace ZkMl.Training.Tests.Air;

public class StepBindingTests
{
    private static readonly QuantizedMlpConfig Tiny = new() { InputSize = 4, HiddenSize = 3, OutputSize = 2, BatchSize = 2 };
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;

    private sealed record Dataset(long[][] Inputs, int[] Labels, Goldilocks[][] Salts, GoldilocksMerkleTree Tree)
    {
        public (long[] Inputs, int[] Labels) Batch(int[] rows) =>
            (rows.SelectMany(r => Inputs[r]).ToArray(), rows.Select(r => Labels[r]).ToArray());
        public byte[] Root => GoldilocksPoseidon.DigestToBytes(Tree.Root);
    }

    private static Goldilocks[] RandomSalt(Random rng) => Enumerable.Range(0, StepBindingStark.SaltSize).Select(_ => Goldilocks.Random(rng)).ToArray();

    private static Dataset MakeDataset(int rows, int seed)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Tiny.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Tiny.FractionBits)).ToArray()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(Tiny.OutputSize)).ToArray();
        var salts = Enumerable.Range(0, rows).Select(_ => RandomSalt(rng)).ToArray();
        var leaves = Enumerable.Range(0, rows).Select(i => StepBindingStark.RowLeaf(Tiny, inputs[i], labels[i], salts[i])).ToArray();
        return new Dataset(inputs, labels, salts, new GoldilocksMerkleTree(leaves));
    }

    private sealed record Step(TrainingStepProof Proof, StarkProof Binding, byte[] Before, byte[] After);

    private static Step ProveStep(Dataset data, int[] rows, long[]? inputsOverride = null, Func<int, Goldilocks[]>? salt = null, bool alterUpdate = false)
    {
        var (inputs, labels) = data.Batch(rows);
        var net = QuantizedMlp.CreateInitial(Tiny, 3);
        var rng = new Random(9);
        Goldilocks[] saltBefore = RandomSalt(rng), saltAfter = RandomSalt(rng);
        var seeds = TrainingStepSeeds.CreateRandom();
        var step = TrainingStepStark.Prove(Tiny, net.Weights1, net.Weights2, inputs, labels, seeds, Fast);
        var w1After = (long[])step.Weights1After.Clone();
        if (alterUpdate) w1After[0] += 1;
        var binding = StepBindingStark.Prove(Tiny, data.Tree, rows, salt ?? (r => data.Salts[r]), inputsOverride ?? inputs, labels,
            net.Weights1, net.Weights2, saltBefore, w1After, step.Weights2After, saltAfter, seeds, Fast);
        var before = GoldilocksPoseidon.DigestToBytes(StepBindingStark.WeightsCommitment(Tiny, net.Weights1, net.Weights2, saltBefore));
        var after = GoldilocksPoseidon.DigestToBytes(StepBindingStark.WeightsCommitment(Tiny, w1After, step.Weights2After, saltAfter));
        return new Step(step, binding, before, after);
    }

    [Fact]
    public void BindingProofSharesTheStepProofsColumnsAndVerifies()
    {
        var data = MakeDataset(7, 1);
        var s = ProveStep(data, [5, 2]);
        Assert.Equal(s.Proof.Commitments.WeightsBefore, s.Binding.SegmentRoot(0).ToArray());
        Assert.Equal(s.Proof.Commitments.Batch, s.Binding.SegmentRoot(1).ToArray());
        Assert.Equal(s.Proof.Commitments.WeightsAfter, s.Binding.SegmentRoot(2).ToArray());
        byte[] bytes = s.Binding.ToBytes();
        bool Check(byte[] root, int rows, byte[] before, byte[] after, TrainingStepCommitments c, byte[] proof) =>
            StepBindingStark.Verify(Tiny, rows, root, before, after, c, proof, Fast, out _);
        Assert.True(StepBindingStark.Verify(Tiny, 7, data.Root, s.Before, s.After, s.Proof.Commitments, bytes, Fast, out var why), why);
        Assert.True(TrainingStepStark.Verify(Tiny, s.Proof.Commitments, s.Proof.Proof, Fast));

        // Another data set, another size, swapped or altered weight commitments, another step's roots: rejected.
        Assert.False(Check(MakeDataset(7, 2).Root, 7, s.Before, s.After, s.Proof.Commitments, bytes));
        Assert.False(Check(data.Root, 9, s.Before, s.After, s.Proof.Commitments, bytes));
        Assert.False(Check(data.Root, 7, s.After, s.Before, s.Proof.Commitments, bytes));
        var altered = (byte[])s.After.Clone();
        altered[3] ^= 1;
        Assert.False(Check(data.Root, 7, s.Before, altered, s.Proof.Commitments, bytes));
        Assert.False(Check(data.Root, 7, s.Before, s.After, s.Proof.Commitments with { Batch = s.Proof.Commitments.WeightsBefore }, bytes));
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 40))
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x10;
            Assert.False(Check(data.Root, 7, s.Before, s.After, s.Proof.Commitments, tampered));
        }
        Assert.False(Check(data.Root, 7, s.Before, s.After, s.Proof.Commitments, bytes[..^3]));
        Assert.False(Check(data.Root[..31], 7, s.Before, s.After, s.Proof.Commitments, bytes));
        var notCanonical = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        Assert.False(Check(data.Root, 7, notCanonical, s.After, s.Proof.Commitments, bytes));
    }

    [Fact]
    public void ProverRefusesABatchOrWeightsThatAreNotCommitted()
    {
        var data = MakeDataset(5, 3);
        int[] rows = [1, 4];
        var (inputs, _) = data.Batch(rows);
        var altered = (long[])inputs.Clone();
        altered[0] += 1;
        // The step proof is made on the committed values; the binding is asked for other values, another order, other salts.
        Assert.Throws<AirConstraintViolationException>(() => ProveStep(data, rows, inputsOverride: altered));
        Assert.Throws<AirConstraintViolationException>(() => ProveStep(data, rows, salt: r => data.Salts[(r + 1) % 5]));

        // Committing to other weights than the step proof's gives a binding proof with other column roots: rejected for that step.
        var s = ProveStep(data, rows, alterUpdate: true);
        Assert.NotEqual(s.Proof.Commitments.WeightsAfter, s.Binding.SegmentRoot(2).ToArray());
        Assert.False(StepBindingStark.Verify(Tiny, 5, data.Root, s.Before, s.After, s.Proof.Commitments, s.Binding.ToBytes(), Fast, out _));
        var ownRoots = new TrainingStepCommitments(s.Binding.SegmentRoot(0).ToArray(), s.Binding.SegmentRoot(1).ToArray(), s.Binding.SegmentRoot(2).ToArray());
        Assert.True(StepBindingStark.Verify(Tiny, 5, data.Root, s.Before, s.After, ownRoots, s.Binding.ToBytes(), Fast, out _));
        Assert.False(TrainingStepStark.Verify(Tiny, ownRoots, s.Proof.Proof, Fast));
    }

    [Fact]
    public void ForgedProofOfANonMemberBatchIsRejected()
    {
        var data = MakeDataset(6, 5);
        int[] rows = [0, 3];
        var (inputs, labels) = data.Batch(rows);
        inputs[1] += 2; // not the committed row any more
        var net = QuantizedMlp.CreateInitial(Tiny, 3);
        var salt = RandomSalt(new Random(1));
        var digest = StepBindingStark.WeightsCommitment(Tiny, net.Weights1, net.Weights2, salt);
        int n = TrainingProgram.TraceLengthFor(Tiny);
        var air = new StepBindingAir(Tiny, 6, data.Tree.Root, digest, digest, n);
        var w = TrainingColumns.Weights(Tiny, n, net.Weights1, net.Weights2);
        var trace = air.BuildTrace(w, TrainingColumns.Batch(Tiny, n, inputs, labels), w, rows, r => data.Salts[r], data.Tree, salt, salt);
        var forged = StarkProver.Prove(air, trace, Fast, null, checkTrace: false, null);
        var roots = new TrainingStepCommitments(forged.SegmentRoot(0).ToArray(), forged.SegmentRoot(1).ToArray(), forged.SegmentRoot(2).ToArray());
        var bytes = GoldilocksPoseidon.DigestToBytes(digest);
        Assert.False(StepBindingStark.Verify(Tiny, 6, data.Root, bytes, bytes, roots, forged.ToBytes(), Fast, out _));
    }

    [Fact]
    public void NativeHashAndTreeBehave()
    {
        var data = MakeDataset(6, 4);
        for (int i = 0; i < 6; i++)
            Assert.True(GoldilocksMerkleTree.Verify(data.Tree.Root, StepBindingStark.RowLeaf(Tiny, data.Inputs[i], data.Labels[i], data.Salts[i]), data.Tree.Path(i)));
        Assert.False(GoldilocksMerkleTree.Verify(data.Tree.Root, StepBindingStark.RowLeaf(Tiny, data.Inputs[0], data.Labels[0], data.Salts[0]), data.Tree.Path(0) with { Index = 1 }));
        var salt = data.Salts[0];
        var other = (Goldilocks[])salt.Clone();
        other[7] += Goldilocks.One;
        Assert.NotEqual(StepBindingStark.RowLeaf(Tiny, data.Inputs[0], data.Labels[0], salt), StepBindingStark.RowLeaf(Tiny, data.Inputs[0], data.Labels[0], other));
        // Domains separate record kinds of equal length.
        var values = new Goldilocks[6];
        Assert.NotEqual(GoldilocksPoseidon.HashSalted(salt, values, 0), GoldilocksPoseidon.HashSalted(salt, values, 1));
        Assert.Equal(3, MerkleTree.DepthFor(6));
        Assert.Equal(0, MerkleTree.DepthFor(1));
        // x^7 is a permutation of Goldilocks (gcd(7, p - 1) = 1), so the S-box is invertible.
        Assert.Equal(1, (int)System.Numerics.BigInteger.GreatestCommonDivisor(7, Goldilocks.Modulus - 1));
        Assert.True(StepBindingStark.Supports(Tiny, 6));
        Assert.False(StepBindingStark.Supports(Tiny with { BatchSize = 64 }, 6));
    }
}
