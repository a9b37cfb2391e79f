using ZkMl.Circuits.Hashing;
using ZkMl.Circuits.Quantized;
using ZkMl.Field;
using ZkMl.Stark.Training;

namespace ZkMl.Stark.Tests;

public class BatchMembershipTests
{
    private static readonly QuantizedMlpConfig Tiny = new() { InputSize = 4, HiddenSize = 3, OutputSize = 2, BatchSize = 2 };
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;

    private sealed record Dataset(long[][] Inputs, int[] Labels, Goldilocks[][] Salts, GoldilocksMerkleTree Tree)
    {
        public (long[] Inputs, int[] Labels) Batch(int[] rows) =>
            (rows.SelectMany(r => Inputs[r]).ToArray(), rows.Select(r => Labels[r]).ToArray());
    }

    private static Dataset MakeDataset(int rows, int seed)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Tiny.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Tiny.FractionBits)).ToArray()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(Tiny.OutputSize)).ToArray();
        var salts = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, BatchMembershipStark.SaltSize).Select(_ => Goldilocks.Random(rng)).ToArray()).ToArray();
        var leaves = Enumerable.Range(0, rows).Select(i => BatchMembershipStark.Leaf(Tiny, inputs[i], labels[i], salts[i])).ToArray();
        return new Dataset(inputs, labels, salts, new GoldilocksMerkleTree(leaves));
    }

    [Fact]
    public void MembershipProofLinksToTheStepProofsBatchCommitment()
    {
        var data = MakeDataset(7, 1);
        int[] rows = [5, 2];
        var (inputs, labels) = data.Batch(rows);
        var net = QuantizedMlp.CreateInitial(Tiny, 3);
        var seeds = TrainingStepSeeds.CreateRandom();
        var step = TrainingStepStark.Prove(Tiny, net.Weights1, net.Weights2, inputs, labels, seeds, Fast);
        var membership = BatchMembershipStark.Prove(Tiny, data.Tree, rows, r => data.Salts[r], inputs, labels, seeds.Batch, Fast);
        Assert.Equal(step.Commitments.Batch, membership.MainRoots[0]);

        byte[] root = GoldilocksPoseidon.DigestToBytes(data.Tree.Root);
        byte[] bytes = membership.ToBytes();
        Assert.True(BatchMembershipStark.Verify(Tiny, 7, root, step.Commitments.Batch, bytes, Fast, out var why), why);

        // Another data set's root, another size, another batch commitment, flipped bytes: rejected.
        byte[] otherRoot = GoldilocksPoseidon.DigestToBytes(MakeDataset(7, 2).Tree.Root);
        Assert.False(BatchMembershipStark.Verify(Tiny, 7, otherRoot, step.Commitments.Batch, bytes, Fast, out _));
        Assert.False(BatchMembershipStark.Verify(Tiny, 9, root, step.Commitments.Batch, bytes, Fast, out _));
        Assert.False(BatchMembershipStark.Verify(Tiny, 7, root, step.Commitments.WeightsBefore, bytes, Fast, out _));
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 40))
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x10;
            Assert.False(BatchMembershipStark.Verify(Tiny, 7, root, step.Commitments.Batch, tampered, Fast, out _));
        }
        Assert.False(BatchMembershipStark.Verify(Tiny, 7, root, step.Commitments.Batch, bytes.AsSpan(0, bytes.Length - 3), Fast, out _));
        Assert.False(BatchMembershipStark.Verify(Tiny, 7, root[..31], step.Commitments.Batch, bytes, Fast, out _));
    }

    [Fact]
    public void ProverRefusesABatchThatIsNotCommittedRows()
    {
        var data = MakeDataset(5, 3);
        int[] rows = [1, 4];
        var (inputs, labels) = data.Batch(rows);
        var seed = TrainingStepSeeds.CreateRandom().Batch;
        var altered = (long[])inputs.Clone();
        altered[0] += 1;
        Assert.Throws<AirConstraintViolationException>(() => BatchMembershipStark.Prove(Tiny, data.Tree, rows, r => data.Salts[r], altered, labels, seed, Fast));
        Assert.Throws<AirConstraintViolationException>(() => BatchMembershipStark.Prove(Tiny, data.Tree, [4, 1], r => data.Salts[r], inputs, labels, seed, Fast));
        Assert.Throws<AirConstraintViolationException>(() => BatchMembershipStark.Prove(Tiny, data.Tree, rows, r => data.Salts[(r + 1) % 5], inputs, labels, seed, Fast));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchMembershipStark.Prove(Tiny, data.Tree, [1, 5], r => data.Salts[r % 5], inputs, labels, seed, Fast));
    }

    [Fact]
    public void ForgedProofOfANonMemberBatchIsRejected()
    {
        var data = MakeDataset(6, 5);
        int[] rows = [0, 3];
        var (inputs, labels) = data.Batch(rows);
        inputs[1] += 2; // not the committed row any more
        var seed = TrainingStepSeeds.CreateRandom().Batch;
        var air = new BatchMembershipAir(Tiny, 6, data.Tree.Root, TrainingProgram.TraceLengthFor(Tiny));
        var trace = air.BuildTrace(BatchMembershipStark.BatchColumn(Tiny, air.TraceLength, inputs, labels), rows, r => data.Salts[r], data.Tree);
        var forged = StarkProver.Prove(air, trace, Fast, null, checkTrace: false, [seed, null]);
        var batchRoot = forged.MainRoots[0];
        Assert.False(BatchMembershipStark.Verify(Tiny, 6, GoldilocksPoseidon.DigestToBytes(data.Tree.Root), batchRoot, forged.ToBytes(), Fast, out _));
    }

    [Fact]
    public void NativeHashAndTreeBehave()
    {
        var data = MakeDataset(6, 4);
        for (int i = 0; i < 6; i++)
            Assert.Equal(data.Tree.Root, GoldilocksMerkleTree.RootFromPath(data.Tree.Leaf(i), i, data.Tree.Path(i)));
        Assert.NotEqual(data.Tree.Root, GoldilocksMerkleTree.RootFromPath(data.Tree.Leaf(0), 1, data.Tree.Path(0)));
        var salt = data.Salts[0];
        var other = (Goldilocks[])salt.Clone();
        other[7] += Goldilocks.One;
        Assert.NotEqual(BatchMembershipStark.Leaf(Tiny, data.Inputs[0], data.Labels[0], salt), BatchMembershipStark.Leaf(Tiny, data.Inputs[0], data.Labels[0], other));
        Assert.Equal(3, GoldilocksMerkleTree.DepthFor(6));
        Assert.Equal(1, GoldilocksMerkleTree.DepthFor(1));
        // x^7 is a permutation of Goldilocks (gcd(7, p - 1) = 1), so the S-box is invertible.
        Assert.Equal(1UL, (ulong)System.Numerics.BigInteger.GreatestCommonDivisor(7, Goldilocks.Modulus - 1));
    }
}
