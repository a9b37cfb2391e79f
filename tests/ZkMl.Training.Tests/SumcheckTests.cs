using System.Collections.Immutable;
using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>Sumcheck (transparent, zero knowledge, hiding weight commitments seeded by each state's salt), every step proven; the 4-3-3 shape with batch 2.</summary>
public sealed class SumcheckFixture() : BackendFixture(Backend.Sumcheck, Tiny, AuditPolicy.AllSteps)
{
    public static readonly QuantizedMlpConfig Tiny = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
}

/// <summary>The shared backend suite, and the sumcheck step proof's binding to its statement through the public API.</summary>
public class SumcheckTests(SumcheckFixture fx) : BackendTests<SumcheckFixture>(fx), IClassFixture<SumcheckFixture>
{
    private StepStatement Statement(int t) => new([.. Fx.Contract.Digest()], t, [.. Fx.Honest.Commitments[t]], [.. Fx.Honest.Commitments[t + 1]],
        Fx.Contract.DatasetRoot, Fx.Contract.DatasetRows, [.. Fx.Batches[t]]);

    [Fact]
    public void EveryStepIsProvenWithHashCommitmentsAndTheContractRoundTrips()
    {
        Assert.Null(Fx.Keys.Groth16VerifyingKeys);
        Assert.Equal(BackendFixture.Steps, Fx.Honest.Proofs.Count);
        Assert.All(Fx.Honest.Commitments, c => Assert.Equal(32, c.Length));
        Assert.Equal(SumcheckStepProof.SaltBytes, Fx.Honest.InitialWeights.Salt.Length);
        Assert.Equal(DatasetCommitmentFormat.Blake3PoseidonRowMerkle, Fx.Contract.DatasetFormat);
        var decoded = TrainingContract.Decode(Fx.Contract.Encode());
        Assert.Equal(Fx.Contract, decoded);
        Assert.Equal(Backend.Sumcheck, decoded.Backend);
        Assert.Throws<ContractFormatException>(() => (Fx.Contract with { DatasetFormat = DatasetCommitmentFormat.PoseidonGoldilocksMerkle }).Validate());
        Assert.Throws<ContractFormatException>(() => (Fx.Contract with { StarkPreset = StarkPreset.Secure100 }).Validate());
    }

    [Fact]
    public void AStepProofIsBoundToItsStepRowsContractAndWeights()
    {
        var verifier = new SumcheckBackend.Verifier(QuantizedNetworkConfig.FromMlp(Fx.Network));
        int t = BackendFixture.Steps - 1; // the last step: its after-commitment's salt is the published final one
        var proof = Fx.Honest.Proofs.Single(p => p.Step == t).Proof;
        var statement = Statement(t);
        Assert.True(verifier.VerifyStep(statement, proof));
        Assert.False(verifier.VerifyStep(statement with { Step = t + 1 }, proof));
        Assert.False(verifier.VerifyStep(Statement(t - 1), proof));
        Assert.False(verifier.VerifyStep(statement with { Step = t - 1 }, proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [.. Fx.Batches[t].Reverse()] }, proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [.. Fx.Batches[t - 1]] }, proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [] }, proof));
        Assert.False(verifier.VerifyStep(statement with { DatasetRoot = Fx.OtherDataset.Root.ToArray().ToImmutableArray() }, proof));
        Assert.False(verifier.VerifyStep(Statement(0), proof));
        var digest = Fx.Contract.Digest();
        digest[^1] ^= 1;
        Assert.False(verifier.VerifyStep(statement with { ContractDigest = [.. digest] }, proof));

        // Weights tampered after the step: the after-commitment of W' with one weight changed.
        var after = Fx.Initial.Clone();
        after.Train(Fx.Data, Fx.Batches.Take(t + 1));
        var salt = Fx.Honest.FinalWeights.Salt.ToArray();
        Assert.Equal(Fx.Honest.Commitments[t + 1], SumcheckBackend.CommitWeights(QuantizedNetwork.FromMlp(after), salt));
        var w1 = after.Weights1.ToArray();
        w1[0] += 1;
        var forged = SumcheckBackend.CommitWeights(QuantizedNetwork.FromMlp(new QuantizedMlp(Fx.Network, w1, after.Weights2)), salt);
        Assert.False(verifier.VerifyStep(statement with { CommitmentAfter = [.. forged] }, proof));
    }

    [Fact]
    public void AProofFromAnotherContractIsRejected()
    {
        var other = Fx.Contract with { StepCount = BackendFixture.Steps + 1 };
        var p = Fx.Honest.Proofs[0];
        var c = Fx.Honest.Commitments;
        Assert.True(Fx.Verifier().VerifyStep(new StepProof(p.Step, Backend.Sumcheck, c[p.Step], c[p.Step + 1], p.Proof), Fx.Seed));
        Assert.False(Fx.Verifier(other).VerifyStep(new StepProof(p.Step, Backend.Sumcheck, c[p.Step], c[p.Step + 1], p.Proof), Fx.Seed));
        Assert.False(Fx.Verifier().VerifyStep(new StepProof(p.Step, Backend.Stark, c[p.Step], c[p.Step + 1], p.Proof), Fx.Seed));
    }

    [Fact]
    public void EveryTruncationOfAProofIsRejected()
    {
        var verifier = new SumcheckBackend.Verifier(QuantizedNetworkConfig.FromMlp(Fx.Network));
        var proof = Fx.Honest.Proofs[0].Proof;
        var statement = Statement(0);
        for (int length = 0; length < proof.Length; length += Math.Max(1, proof.Length / 64)) Assert.False(verifier.VerifyStep(statement, proof[..length]));
        Assert.False(verifier.VerifyStep(statement, [.. proof, 0]));
    }

    [Fact]
    public void WeightCommitmentsAreHidingAndSeededByTheStatesSalt()
    {
        var model = QuantizedNetwork.FromMlp(Fx.Initial);
        var salt = Fx.Honest.InitialWeights.Salt.ToArray();
        Assert.Throws<ArgumentException>(() => SumcheckBackend.CommitWeights(model, []));
        Assert.Equal(Fx.Honest.Commitments[0], SumcheckBackend.CommitWeights(model, salt));
        salt[0] ^= 1;
        Assert.NotEqual(Fx.Honest.Commitments[0], SumcheckBackend.CommitWeights(model, salt));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void AnOlderFormatProofIsRefusedByItsVersion(int version)
    {
        // v2: not zero knowledge; v3: the batch rows in the clear ("ZKBM" v2); v4: one chain commitment per layer's table.
        var proof = Fx.Honest.Proofs[0].Proof.ToArray();
        Assert.Equal(5, BitConverter.ToUInt16(proof, 4));
        proof[4] = (byte)version;
        var e = Assert.Throws<ZkMl.Sumcheck.ProofFormatException>(() => new ZkMl.Sumcheck.ProofReader(proof, "ZKSP", 5));
        Assert.Contains($"version {version}", e.Message);
        Assert.False(new SumcheckBackend.Verifier(QuantizedNetworkConfig.FromMlp(Fx.Network)).VerifyStep(Statement(0), proof));
    }

    [Fact]
    public void NoBatchRowOrSaltAppearsInTheProof()
    {
        // The proof carries the batch rows' digests (public by design) and nothing of the rows: no row salt element, and
        // no 8-byte little-endian input value or target of a batch row that is not small (small integers recur as counts).
        var proof = Fx.Honest.Proofs[0].Proof;
        var words = new HashSet<ulong>();
        for (int i = 0; i + 8 <= proof.Length; i++) words.Add(BitConverter.ToUInt64(proof, i));
        var statement = Statement(0);
        var openings = (SumcheckBackend.Openings)Fx.Dataset.Openings;
        foreach (int row in statement.Rows)
        {
            foreach (var salt in openings.Salts[row]) Assert.DoesNotContain(salt.Value, words);
            foreach (long x in Fx.Data.Row(row))
                if (Math.Abs(x) >= 1 << 16) Assert.DoesNotContain(ZkMl.Field.Goldilocks.FromInt64(x).Value, words);
            // Nor the row's absorbed stream (the packed offset inputs: large field elements).
            foreach (var v in SpongeMembership.RowValues(QuantizedNetworkConfig.FromMlp(Fx.Network), Fx.Data.Row(row), Fx.Data.Labels[row]))
                if (v.Value >= 1 << 16) Assert.DoesNotContain(v.Value, words);
            // The row's leaf is there, as a digest.
            var digest = BatchMembership.RowDigest(QuantizedNetworkConfig.FromMlp(Fx.Network), Fx.Data.Row(row), Fx.Data.Labels[row], openings.Salts[row]);
            Assert.Contains(digest[0].Value, words);
        }
    }

    [Fact]
    public void AContractWithTheRetiredDataSetFormatIsRefused()
    {
        var old = Fx.Contract with { DatasetFormat = DatasetCommitmentFormat.Blake3LigeroMerkle };
        Assert.Throws<ContractFormatException>(() => old.Validate());
    }

    [Fact]
    public void ShapesTheStepProofDoesNotCoverAreRefusedNamingTheLimit()
    {
        // Biases are proven: setup, the data-set committer and the weight commitment accept them.
        var biased = new QuantizedNetworkConfig(NetworkDescription.Create(4, [3], 3, bias: true)) { BatchSize = 2 };
        TrainingSetup.Create(Backend.Sumcheck, biased, 8);
        DatasetCommitment.Create(Fx.Data, biased, Backend.Sumcheck);
        Assert.Equal(32, SumcheckBackend.CommitWeights(new QuantizedNetwork(biased, new long[biased.Network.ParameterCount]), new byte[SumcheckStepProof.SaltBytes]).Length);
        // A biased layer proves Rescale_f(W h) = z - b in B + 1 bits: f + B + 1 <= 62.
        var e = Assert.Throws<NetworkTooLargeException>(() => TrainingSetup.Create(Backend.Sumcheck, biased with { FractionBits = 22, ValueBits = 40, LearningRateShift = 0 }, 8));
        Assert.Equal(62, e.Limit);
        Assert.Contains("biased layer", e.Message);
        var wide = QuantizedNetworkConfig.FromMlp(new QuantizedMlpConfig { InputSize = 1 << 16, HiddenSize = 512, OutputSize = 10, BatchSize = 2 });
        e = Assert.Throws<NetworkTooLargeException>(() => TrainingSetup.Create(Backend.Sumcheck, wide, 8));
        Assert.Equal(SumcheckBackend.MaxTableEntries, e.Limit);
        Assert.Contains("padded table", e.Message);
    }
}
