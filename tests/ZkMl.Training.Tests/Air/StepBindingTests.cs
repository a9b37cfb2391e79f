using System.Collections.Immutable;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Training.Air;

namespace ZkMl.Training.Tests.Air;

public class StepBindingTests
{
    private static readonly QuantizedNetworkConfig Tiny = new(NetworkDescription.TwoLayer(4, 3, 2)) { BatchSize = 2 };
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;
    private static readonly byte[] Digest = Enumerable.Range(0, 32).Select(i => (byte)(7 * i + 1)).ToArray();

    private sealed record Dataset(long[][] Inputs, int[] Labels, Goldilocks[][] Salts, GoldilocksMerkleTree Tree)
    {
        public (long[] Inputs, int[] Labels) Batch(int[] rows) =>
            (rows.SelectMany(r => Inputs[r]).ToArray(), rows.Select(r => Labels[r]).ToArray());
        public byte[] Root => GoldilocksPoseidon.DigestToBytes(Tree.Root);
        public int Count => Inputs.Length;
    }

    private static Goldilocks[] RandomSalt(Random rng) => Enumerable.Range(0, StepBindingStark.SaltSize).Select(_ => Goldilocks.Random(rng)).ToArray();

    private static Dataset MakeDataset(int rows, int seed)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, Tiny.Network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Tiny.FractionBits)).ToArray()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(Tiny.Network.OutputSize)).ToArray();
        var salts = Enumerable.Range(0, rows).Select(_ => RandomSalt(rng)).ToArray();
        var leaves = Enumerable.Range(0, rows).Select(i => StepBindingStark.RowLeaf(Tiny, inputs[i], labels[i], salts[i])).ToArray();
        return new Dataset(inputs, labels, salts, new GoldilocksMerkleTree(leaves));
    }

    /// <summary>An honest step's witness and statement (weights after from the reference trainer).</summary>
    private sealed record Step(StepStatement Statement, QuantizedNetwork Net, Goldilocks[] SaltBefore, Goldilocks[] SaltAfter, long[] Inputs, int[] Labels);

    private static Step MakeStep(Dataset data, int[] rows, int step = 5, byte[]? digest = null)
    {
        var (inputs, labels) = data.Batch(rows);
        var net = QuantizedNetwork.CreateInitial(Tiny, 3);
        var after = net.Clone();
        after.TrainStep(inputs, labels);
        var rng = new Random(9);
        Goldilocks[] saltBefore = RandomSalt(rng), saltAfter = RandomSalt(rng);
        var statement = new StepStatement([.. digest ?? Digest], step,
            [.. GoldilocksPoseidon.DigestToBytes(StepBindingStark.WeightsCommitment(Tiny, net.Parameters, saltBefore))],
            [.. GoldilocksPoseidon.DigestToBytes(StepBindingStark.WeightsCommitment(Tiny, after.Parameters, saltAfter))],
            [.. data.Root], data.Count, [.. rows]);
        return new Step(statement, net, saltBefore, saltAfter, inputs, labels);
    }

    private static TrainingStepProof Prove(Dataset data, Step s, long[]? inputs = null, Func<int, Goldilocks[]>? salt = null) =>
        StepBindingStark.Prove(Tiny, s.Statement, data.Tree, salt ?? (r => data.Salts[r]), inputs ?? s.Inputs, s.Labels,
            s.Net.Parameters, s.SaltBefore, s.SaltAfter, Fast);

    private static bool Verify(StepStatement statement, byte[] proof) => StepBindingStark.Verify(Tiny, statement, proof, Fast, out _);

    [Fact]
    public void StepProofVerifiesAndIsBoundToItsStatement()
    {
        var data = MakeDataset(7, 1);
        var s = MakeStep(data, [5, 2]);
        var proof = Prove(data, s);
        var reference = s.Net.Clone();
        reference.TrainStep(s.Inputs, s.Labels);
        Assert.Equal(reference.Parameters.ToArray(), proof.ParametersAfter);
        Assert.True(StepBindingStark.Verify(Tiny, s.Statement, proof.Proof, Fast, out var why), why);
        var st = s.Statement;

        // (b) another position, (c) another contract, another data set or size, swapped or altered weight commitments.
        Assert.False(Verify(st with { Step = st.Step + 1 }, proof.Proof));
        Assert.False(Verify(st with { Step = st.Step - 1 }, proof.Proof));
        var otherDigest = Digest.ToArray();
        otherDigest[31] ^= 1;
        Assert.False(Verify(st with { ContractDigest = [.. otherDigest] }, proof.Proof));
        Assert.False(Verify(st with { DatasetRoot = [.. MakeDataset(7, 2).Root] }, proof.Proof));
        Assert.False(Verify(st with { DatasetRows = 8 }, proof.Proof));
        Assert.False(Verify(st with { CommitmentBefore = st.CommitmentAfter, CommitmentAfter = st.CommitmentBefore }, proof.Proof));
        var altered = st.CommitmentAfter.ToArray();
        altered[3] ^= 1;
        Assert.False(Verify(st with { CommitmentAfter = [.. altered] }, proof.Proof));
        // (d) the same samples at other public positions: another order, another row, a repeated row, a row outside the data set.
        Assert.False(Verify(st with { Rows = [2, 5] }, proof.Proof));
        Assert.False(Verify(st with { Rows = [5, 3] }, proof.Proof));
        Assert.False(Verify(st with { Rows = [5, 5] }, proof.Proof));
        Assert.False(Verify(st with { Rows = [5, 7] }, proof.Proof));
        Assert.False(Verify(st with { Rows = [5] }, proof.Proof));
        // Malformed statements are rejected, not thrown.
        Assert.False(Verify(st with { DatasetRoot = st.DatasetRoot[..31] }, proof.Proof));
        Assert.False(Verify(st with { ContractDigest = st.ContractDigest[..31] }, proof.Proof));
        Assert.False(Verify(st with { CommitmentBefore = [.. Enumerable.Repeat((byte)0xFF, 32)] }, proof.Proof));
        // (e) truncated or bit-flipped proofs.
        var bytes = proof.Proof;
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 40))
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x10;
            Assert.False(Verify(st, tampered));
        }
        Assert.False(Verify(st, bytes[..^3]));
        Assert.False(Verify(st, bytes[..(bytes.Length / 2)]));
        Assert.False(Verify(st, []));
    }

    [Fact]
    public void ProverRefusesAWitnessThatIsNotTheStatements()
    {
        var data = MakeDataset(5, 3);
        var s = MakeStep(data, [1, 4]);
        var altered = s.Inputs.ToArray();
        altered[0] += 1;
        // Values that are not the committed rows, other salts, the rows of another schedule, other committed weights.
        Assert.Throws<AirConstraintViolationException>(() => Prove(data, s, inputs: altered));
        Assert.Throws<AirConstraintViolationException>(() => Prove(data, s, salt: r => data.Salts[(r + 1) % 5]));
        Assert.Throws<AirConstraintViolationException>(() => Prove(data, s with { Statement = s.Statement with { Rows = [4, 1] } }));
        Assert.Throws<AirConstraintViolationException>(() => Prove(data, s with { Statement = s.Statement with { CommitmentAfter = s.Statement.CommitmentBefore } }));
    }

    /// <summary>
    /// (a) The two-witness forgery: the step part proves SGD on one batch while the binding part opens another batch (the
    /// scheduled one) behind the same commitment. In one STARK the shared column exists once, so one part's constraints fail
    /// on it; a prover that skips its checks produces the proof anyway, and the verifier rejects it.
    /// </summary>
    [Fact]
    public void TwoWitnessesBehindOneCommitmentAreRejected()
    {
        var data = MakeDataset(6, 5);
        int[] scheduled = [0, 3], unscheduled = [1, 2];
        var honest = MakeStep(data, scheduled);
        var air = StepBindingStark.AirFor(Tiny, honest.Statement);
        var (trace, _) = StepBindingStark.BuildTrace(air, data.Tree, r => data.Salts[r], honest.Inputs, honest.Labels,
            honest.Net.Parameters, honest.SaltBefore, honest.SaltAfter);
        Assert.True(StepBindingStark.Verify(Tiny, honest.Statement, StarkProver.Prove(air, trace, Fast).ToBytes(), Fast, out var why), why);

        // The worker's step part: SGD on unscheduled rows (its memory bus reads the batch column).
        var (inputs, labels) = data.Batch(unscheduled);
        var forged = TrainingTraceBuilder.Build((TrainingStepAir)air.First, honest.Net.Parameters, inputs, labels).Trace;
        int shared = 3, stepWidth = air.First.TraceWidth;
        // Shared columns from the binding witness (scheduled batch), step columns from the forged step.
        var mixed = trace.Select((column, c) => c >= shared && c < stepWidth ? forged[c] : column).ToArray();
        Assert.ThrowsAny<Exception>(() => StarkProver.Prove(air, mixed, Fast));
        Assert.False(StepBindingStark.Verify(Tiny, honest.Statement, StarkProver.Prove(air, mixed, Fast, null, checkTrace: false).ToBytes(), Fast, out _));
        // Shared columns from the forged step (unscheduled batch), binding columns from the honest witness.
        mixed = trace.Select((column, c) => c < stepWidth ? forged[c] : column).ToArray();
        Assert.False(StepBindingStark.Verify(Tiny, honest.Statement, StarkProver.Prove(air, mixed, Fast, null, checkTrace: false).ToBytes(), Fast, out _));
    }

    /// <summary>(d) A batch of committed rows at other positions than the statement's, with valid Merkle paths for those positions.</summary>
    [Fact]
    public void BatchAtOtherRowsThanTheStatementsIsRejected()
    {
        var data = MakeDataset(6, 7);
        var s = MakeStep(data, [0, 3]);
        int[] other = [4, 3];
        var (inputs, labels) = data.Batch(other);
        var actual = MakeStep(data, other);
        var air = StepBindingStark.AirFor(Tiny, s.Statement with { CommitmentAfter = actual.Statement.CommitmentAfter });
        var witness = TrainingTraceBuilder.Build((TrainingStepAir)air.First, s.Net.Parameters, inputs, labels).Trace;
        var binding = ((StepBindingAir)air.Second).BuildTrace(witness[0], witness[1], witness[2], r => data.Salts[r], data.Tree, s.SaltBefore, s.SaltAfter, pathRows: other);
        var trace = air.CombineTraces(witness, binding);
        Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, trace, Fast));
        var forged = StarkProver.Prove(air, trace, Fast, null, checkTrace: false).ToBytes();
        Assert.False(Verify(s.Statement with { CommitmentAfter = actual.Statement.CommitmentAfter }, forged));
        // Honestly proven at those rows, it verifies only for them.
        var proof = Prove(data, actual);
        Assert.True(Verify(actual.Statement, proof.Proof));
        Assert.False(Verify(actual.Statement with { Rows = s.Statement.Rows }, proof.Proof));
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
