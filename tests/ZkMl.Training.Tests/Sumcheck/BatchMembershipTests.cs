using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Batch membership "ZKBM" v3 (only the rows' salted Poseidon digests and the multi-path) and the zero-knowledge step's
/// proof that the rows it trains on hash to those digests: honest batches verify; rows outside the data set, from another
/// position, swapped digests, another root, tampered rows, salts or trace cells in the stack, and v2 proofs are refused.
/// </summary>
public class BatchMembershipTests
{
    private static readonly QuantizedNetworkConfig Config = ZeroKnowledgeStepTests.Small;
    private static readonly long[][] Inputs = [[0, 1024, 512, 64], [1024, 1024, 0, 256], [768, 0, 1024, 1024], [128, 896, 64, 0], [5, 6, 7, -8]];
    private static readonly int[] Labels = [2, 0, 1, 1, 0];
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(11 * i))];

    private sealed record Dataset(Goldilocks[][] Salts, Blake3MerkleTree Tree)
    {
        internal Goldilocks[] RowDigest(int row) => BatchMembership.RowDigest(Config, Inputs[row], Labels[row], Salts[row]);
    }

    private static readonly Lazy<Dataset> Data = new(() =>
    {
        var salts = ZeroKnowledgeSteps.Salts(Inputs.Length, 4);
        return new Dataset(salts, BatchMembership.Tree([.. Inputs.Select((x, i) => BatchMembership.Leaf(Config, x, Labels[i], salts[i]))]));
    });

    private static byte[] Prove(Dataset d, int[] rows, Goldilocks[][]? digests = null) => BatchMembership.Prove(rows, d.Tree, digests ?? [.. rows.Select(d.RowDigest)]);

    private static bool Verify(Dataset d, int[] rows, byte[] proof, byte[]? root = null) =>
        BatchMembership.Verify(Config, root ?? d.Tree.Root, Inputs.Length, rows, proof, out _);

    [Fact]
    public void TheScheduledRowsVerifyAndOthersDoNot()
    {
        var d = Data.Value;
        int[] rows = [3, 4];
        var proof = Prove(d, rows);
        Assert.True(BatchMembership.Verify(Config, d.Tree.Root, Inputs.Length, rows, proof, out var digests));
        Assert.Equal([d.RowDigest(3), d.RowDigest(4)], digests);
        Assert.False(Verify(d, [4, 3], proof));
        Assert.False(Verify(d, [3, 2], proof));
        var otherRoot = d.Tree.Root;
        otherRoot[0] ^= 1;
        Assert.False(Verify(d, rows, proof, otherRoot));
        var random = new Random(2);
        for (int i = 0; i < 16; i++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(Verify(d, rows, flipped));
        }
        Assert.False(Verify(d, rows, proof[..^1]));
        Assert.False(Verify(d, rows, [.. proof, 0]));
    }

    [Fact]
    public void ARowOutsideTheDataSetOrFromAnotherPositionOrSwappedDigestsAreRejected()
    {
        var d = Data.Value;
        int[] rows = [0, 4];
        Assert.True(Verify(d, rows, Prove(d, rows)));
        // A row not in the data set (another input or label, the same salt), a row from position 1, the digests swapped.
        var outside = BatchMembership.RowDigest(Config, [999, 6, 7, -8], Labels[4], d.Salts[4]);
        Assert.False(Verify(d, rows, Prove(d, rows, [d.RowDigest(0), outside])));
        Assert.False(Verify(d, rows, Prove(d, rows, [d.RowDigest(0), BatchMembership.RowDigest(Config, Inputs[4], 1, d.Salts[4])])));
        Assert.False(Verify(d, rows, Prove(d, rows, [d.RowDigest(0), d.RowDigest(1)])));
        Assert.False(Verify(d, rows, Prove(d, rows, [d.RowDigest(4), d.RowDigest(0)])));
        // Digests under another root: a data set with other salts.
        var other = new Dataset(ZeroKnowledgeSteps.Salts(Inputs.Length, 5), d.Tree);
        var otherTree = BatchMembership.Tree([.. Inputs.Select((x, i) => BatchMembership.Leaf(Config, x, Labels[i], other.Salts[i]))]);
        Assert.False(Verify(d, rows, BatchMembership.Prove(rows, otherTree, [.. rows.Select(other.RowDigest)])));
    }

    [Fact]
    public void AVersion2MembershipProofIsRefusedByItsVersion()
    {
        var d = Data.Value;
        var proof = Prove(d, [0, 4]);
        proof[4] = 2; // the header's version (u16 little-endian after the magic)
        var error = Assert.Throws<ProofFormatException>(() => BatchMembership.Read(proof, 2));
        Assert.Contains("version 2, expected 3", error.Message);
        Assert.False(Verify(d, [0, 4], proof));
        // A non-canonical digest element.
        var bad = Prove(d, [0, 4]);
        Array.Fill(bad, (byte)0xFF, 6, 8);
        Assert.Throws<ProofFormatException>(() => BatchMembership.Read(bad, 2));
    }

    [Fact]
    public void SaltsAreCanonicalGoldilocksElements()
    {
        var salts = BatchMembership.NewSalts(3);
        Assert.Equal(3 * BatchMembership.SaltBytes, salts.Length);
        for (int i = 0; i < 3; i++) Assert.Equal(BatchMembership.SaltElements, BatchMembership.ReadSalt(salts.AsSpan(i * BatchMembership.SaltBytes, BatchMembership.SaltBytes)).Length);
        var bad = new byte[BatchMembership.SaltBytes];
        Array.Fill(bad, (byte)0xFF);
        Assert.Throws<ArgumentException>(() => BatchMembership.ReadSalt(bad));
        Assert.Throws<ArgumentException>(() => BatchMembership.ReadSalt(new byte[32]));
    }

    /// <summary>A zero-knowledge step on rows 4, 2 of the data set: its proof and the data set's digests of those rows.</summary>
    private static (StepTables Tables, LigeroProverData W, LigeroProverData WAfter, Goldilocks[][] Salts, Goldilocks[][] Digests) Step(int[] rows)
    {
        var d = Data.Value;
        var model = QuantizedNetwork.CreateInitial(Config, 8);
        var tables = ZeroKnowledgeSteps.Tables(Config, model, [.. rows.SelectMany(r => Inputs[r])], [.. rows.Select(r => Labels[r])]);
        var w = ZeroKnowledgeSteps.State(Config, tables, false, ZeroKnowledgeSteps.Seed(-1));
        var wa = ZeroKnowledgeSteps.State(Config, tables, true, ZeroKnowledgeSteps.Seed(0));
        return (tables, w, wa, [.. rows.Select(r => d.Salts[r])], [.. rows.Select(d.RowDigest)]);
    }

    private static bool VerifyStep((StepTables Tables, LigeroProverData W, LigeroProverData WAfter, Goldilocks[][] Salts, Goldilocks[][] Digests) s, byte[] proof,
        Goldilocks[][]? digests = null) =>
        SumcheckStep.VerifyZeroKnowledge(Digest, Config, digests ?? s.Digests, s.W.Commitment, s.WAfter.Commitment, proof);

    [Fact]
    public void MembershipAndTheStepProofTogetherProveAWholeStepWithoutTheRows()
    {
        var d = Data.Value;
        int[] rows = [4, 2];
        var membership = Prove(d, rows);
        Assert.True(BatchMembership.Verify(Config, d.Tree.Root, Inputs.Length, rows, membership, out var digests));
        var s = Step(rows);
        var proof = SumcheckStep.ProveZeroKnowledge(Digest, Config, s.Tables, s.W, s.WAfter, s.Salts);
        Assert.True(VerifyStep(s, proof, digests));
        // The step proves these rows: the digests of rows (4, 3), of (2, 4), or of row 4 with another label do not verify.
        Assert.False(VerifyStep(s, proof, [d.RowDigest(4), d.RowDigest(3)]));
        Assert.False(VerifyStep(s, proof, [d.RowDigest(2), d.RowDigest(4)]));
        Assert.False(VerifyStep(s, proof, [BatchMembership.RowDigest(Config, Inputs[4], 1, d.Salts[4]), d.RowDigest(2)]));
        // A prover that refuses to prove rows that do not hash to the given digests.
        Assert.Throws<ArgumentException>(() => SumcheckStep.ProveZeroKnowledge(Digest, Config, s.Tables, s.W, s.WAfter, s.Salts,
            digests: [d.RowDigest(4), d.RowDigest(3)]));
        var reference = QuantizedNetwork.CreateInitial(Config, 8);
        reference.TrainStep([.. rows.SelectMany(r => Inputs[r])], [.. rows.Select(r => Labels[r])]);
        Assert.Equal(reference.Weights(0).ToArray(), StepTables.Unpad(s.Tables.WeightsAfter[0], 3, 4, 4));
    }

    public static TheoryData<string> StackForgeries() => ["x", "t", "salt", "trace"];

    [Theory]
    [MemberData(nameof(StackForgeries))]
    public void ATamperedBatchSaltOrTraceCellInTheStackIsRejected(string cell)
    {
        // A prover that trains on another input or label (a consistent step on rows that are not the data set's), hashes
        // another salt, or changes one cell of the trace after writing it, and proves the sponge anyway (its own check
        // skipped): the verifier, with the data set's digests, refuses.
        int[] rows = [4, 2];
        var s = Step(rows);
        var inputs = rows.SelectMany(r => Inputs[r]).ToArray();
        var labels = rows.Select(r => Labels[r]).ToArray();
        var salts = s.Salts.Select(x => x.ToArray()).ToArray();
        if (cell == "x") inputs[5] += 1;
        if (cell == "t") labels[1] = (labels[1] + 1) % 3;
        if (cell == "salt") salts[1][3] += Goldilocks.One;
        var tables = ZeroKnowledgeSteps.Tables(Config, QuantizedNetwork.CreateInitial(Config, 8), inputs, labels);
        var w = ZeroKnowledgeSteps.State(Config, tables, false, ZeroKnowledgeSteps.Seed(-1));
        var wa = ZeroKnowledgeSteps.State(Config, tables, true, ZeroKnowledgeSteps.Seed(0));
        var (_, layout, _) = SumcheckStep.ZeroKnowledgeLayout(Config);
        long trace = layout.Table(4 + SumcheckStep.PrivateVariables(Config).Tables.Length).Offset; // X, T, the step's tables, the salts, X+, the trace
        var proof = SumcheckStep.ProveZeroKnowledge(Digest, Config, tables, w, wa, salts, digests: s.Digests,
            spongeProve: (transcript, sponge, stack, digests) => PoseidonSpongeZeroCheck.Prove(transcript, sponge, stack, digests, false),
            forgeStack: cell == "trace" ? stack => stack[trace + 130] += Goldilocks.One : null);
        Assert.False(SumcheckStep.VerifyZeroKnowledge(Digest, Config, s.Digests, w.Commitment, wa.Commitment, proof));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void APackedInputOutsideItsRangeIsRejected(int which)
    {
        // Packing is not injective without the range check: (e_0 + radix, e_1 - 1) packs like (e_0, e_1). A prover that
        // trains on rows whose offset inputs alias the data set's (same digests, so the sponge verifies) is refused by the
        // range check of X+ (the input lookup: an X+ entry outside [0, 2^(f+2)), which its multiplicities cannot count).
        int[] rows = [4, 2];
        var s = Step(rows);
        var inputs = rows.SelectMany(r => Inputs[r]).ToArray();
        long radix = 1L << SpongeMembership.InputBits(Config);
        if (which == 0) (inputs[0], inputs[1]) = (inputs[0] + radix, inputs[1] - 1); // e_0 above the radix
        else (inputs[0], inputs[1]) = (inputs[0] - radix, inputs[1] + 1);            // e_0 negative
        var tables = ZeroKnowledgeSteps.Tables(Config, QuantizedNetwork.CreateInitial(Config, 8), inputs, [.. rows.Select(r => Labels[r])]);
        var w = ZeroKnowledgeSteps.State(Config, tables, false, ZeroKnowledgeSteps.Seed(-1));
        var wa = ZeroKnowledgeSteps.State(Config, tables, true, ZeroKnowledgeSteps.Seed(0));
        byte[] proof;
        try
        {
            // The honest sponge check passes: the packed stream is the data set's row.
            proof = SumcheckStep.ProveZeroKnowledge(Digest, Config, tables, w, wa, s.Salts, digests: s.Digests);
        }
        catch (ArgumentException)
        {
            Assert.Fail("The aliased rows hash to the data set's digests: the prover must get as far as a proof.");
            return;
        }
        Assert.False(SumcheckStep.VerifyZeroKnowledge(Digest, Config, s.Digests, w.Commitment, wa.Commitment, proof));
    }

    [Theory]
    [InlineData("moved")]
    [InlineData("extra")]
    [InlineData("missing")]
    public void ATamperedInputMultiplicityIsRejected(string how)
    {
        // The input lookup's multiplicities (X+ counted in [0, 2^(f+2))), changed in the stack before the commitment: one
        // count moved to another value (same total), one count more, or one less; the sponge and the blocks still hold.
        int[] rows = [4, 2];
        var s = Step(rows);
        var tables = ZeroKnowledgeSteps.Tables(Config, QuantizedNetwork.CreateInitial(Config, 8), [.. rows.SelectMany(r => Inputs[r])], [.. rows.Select(r => Labels[r])]);
        var w = ZeroKnowledgeSteps.State(Config, tables, false, ZeroKnowledgeSteps.Seed(-1));
        var wa = ZeroKnowledgeSteps.State(Config, tables, true, ZeroKnowledgeSteps.Seed(0));
        var (_, layout, membership) = SumcheckStep.ZeroKnowledgeLayout(Config);
        var counts = layout.Table(membership.Counts.Index);
        Assert.Equal(SpongeMembership.InputBits(Config), counts.Variables);
        int v = (int)(tables.X[0] + (1L << Config.FractionBits)), size = 1 << counts.Variables; // the first entry's X+, counted
        var proof = SumcheckStep.ProveZeroKnowledge(Digest, Config, tables, w, wa, s.Salts, digests: s.Digests, forgeStack: stack =>
        {
            Assert.NotEqual(Goldilocks.Zero, stack[counts.Offset + v]);
            if (how != "extra") stack[counts.Offset + v] -= Goldilocks.One;
            if (how != "missing") stack[counts.Offset + (v + 1) % size] += Goldilocks.One;
        });
        Assert.False(SumcheckStep.VerifyZeroKnowledge(Digest, Config, s.Digests, w.Commitment, wa.Commitment, proof));
    }

    [Fact]
    public void TheInputRangeIsItsOwnLookup()
    {
        // X+ is no longer limbs in the shared 2^16 lookup: the limb region is the step's blocks' alone, and the input
        // lookup's tree is 1 + max(|X+|, f + 2) variables.
        var (_, layout, membership) = SumcheckStep.ZeroKnowledgeLayout(Config);
        var limbs = SumcheckStep.PrivateVariables(Config).Limbs.SelectMany(b => b).ToArray();
        Assert.Equal(ZkMl.Common.BitMath.CeilingLog2((int)limbs.Sum(v => 1L << v)), layout.Region.Variables);
        Assert.Equal(1 + Math.Max(SpongeMembership.InputVariables(Config), SpongeMembership.InputBits(Config)), membership.InputLookupVariables(layout));
    }

    [Fact]
    public void TheDataSetRefusesAnInputOutsideThePackingsRange()
    {
        var salt = Data.Value.Salts[0];
        long radix = 1L << SpongeMembership.InputBits(Config), offset = 1L << Config.FractionBits;
        BatchMembership.RowDigest(Config, [-offset, radix - offset - 1, 0, 0], 0, salt);
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchMembership.RowDigest(Config, [-offset - 1, 0, 0, 0], 0, salt));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchMembership.RowDigest(Config, [radix - offset, 0, 0, 0], 0, salt));
    }

    [Fact]
    public void ThePaddingZeroCheckRefusesANonZeroPaddingEntry()
    {
        // X and T are hashed only on their real entries; the padding zero-check forces the rest to zero. A one-block step:
        // a [2 x 4] table whose real part is 2 x 3.
        bool Run(bool forged)
        {
            var table = new Goldilocks[8];
            for (int i = 0; i < 8; i++) table[i] = i % 4 < 3 ? Goldilocks.FromUInt64((ulong)i + 1) : Goldilocks.Zero;
            if (forged) table[7] = Goldilocks.One;
            var prover = new StepProver(Digest);
            var block = ZeroCheck.Padding(2, 3, 1, 2, prover.AddPrivate(table));
            prover.Commit([block]);
            prover.Prove(block);
            var proof = prover.Finish();
            var verifier = new StepVerifier(Digest);
            var check = ZeroCheck.Padding(2, 3, 1, 2, verifier.AddPrivate(3));
            var reader = new ProofReader(proof, StepProver.Magic, StepProver.ZeroKnowledgeVersion);
            return verifier.Commit(ref reader, [check]) && verifier.Verify(ref reader, check) && verifier.Finish(ref reader);
        }
        Assert.True(Run(false));
        Assert.False(Run(true));
    }

    [Fact]
    public void TheHonestPathWithTheSpongeHookVerifies()
    {
        // The hook used by the forgeries proves an honest step: what the forgeries change is the cell, nothing else.
        var s = Step([4, 2]);
        var proof = SumcheckStep.ProveZeroKnowledge(Digest, Config, s.Tables, s.W, s.WAfter, s.Salts, digests: s.Digests,
            spongeProve: (transcript, sponge, stack, digests) => PoseidonSpongeZeroCheck.Prove(transcript, sponge, stack, digests, false));
        Assert.True(VerifyStep(s, proof));
    }
}
