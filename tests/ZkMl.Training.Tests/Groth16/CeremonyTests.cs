using System.Security.Cryptography;
using Xunit.Abstractions;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Formats;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training.Tests.Groth16;

/// <summary>
/// Keys nobody alone controls (issue #13): a snarkjs ceremony's zkeys drive training end to end, the verifier takes only
/// the contract-pinned keys, and a worker's self-made key (attack 1) is refused.
/// </summary>
public class CeremonyTests(CeremonyFixture fx, ITestOutputHelper output) : IClassFixture<CeremonyFixture>
{
    private static readonly DatasetCommitment Data =
        DatasetCommitment.Create(TestData.Synthetic(CeremonyFixture.Network, rows: CeremonyFixture.Rows, seed: 1), CeremonyFixture.Network, Backend.Groth16);
    private static readonly QuantizedMlp Initial = QuantizedMlp.CreateInitial(CeremonyFixture.Network, 5);
    private static readonly List<int[]> Batches = BatchSchedule.Create(CeremonyFixture.Rows, CeremonyFixture.Network.BatchSize, 1, 7).Take(3).ToList();

    private Groth16VerifyingKeys CeremonyKeys => Groth16VerifyingKeys.ReadJsonFiles(fx.StepVk, fx.MembershipVk);

    [Fact]
    public void CeremonyZkeysTrainProveAndVerifyWithTheExportedKeys()
    {
        foreach (var (command, time) in fx.Timings) output.WriteLine($"{time.TotalSeconds,6:F1} s  snarkjs {command}");
        var keys = TrainingSetup.FromZkeys(CeremonyFixture.Network, CeremonyFixture.Rows, fx.StepZkey, fx.MembershipZkey);
        var published = CeremonyKeys;
        Assert.Equal(published.StepSha256.ToArray(), keys.Groth16VerifyingKeys!.StepSha256.ToArray());
        Assert.Equal(published.MembershipSha256.ToArray(), keys.Groth16VerifyingKeys.MembershipSha256.ToArray());

        var contract = SeamChain.Contract(CeremonyFixture.Network, Data, published);
        var verifier = Groth16Backend.Verifier(contract, published);
        var steps = SeamChain.Prove(new Groth16StepProver(keys, ProvingEngines.Cpu), Data, Initial, contract.Digest(), Batches);
        foreach (var (statement, proof) in steps) Assert.True(verifier.VerifyStep(statement, proof), $"step {statement.Step}");
        Assert.False(verifier.VerifyStep(steps[1].Statement with { Step = 0 }, steps[1].Proof));
    }

    [Fact]
    public void SnarkjsVerifiesTheStepProofWithTheExportedKey()
    {
        var keys = TrainingSetup.FromZkeys(CeremonyFixture.Network, CeremonyFixture.Rows, fx.StepZkey, fx.MembershipZkey);
        var digest = SHA256.HashData("another run"u8);
        var (s, proof) = SeamChain.Prove(new Groth16StepProver(keys, ProvingEngines.Cpu), Data, Initial, digest, Batches.Take(1).ToList())[0];
        Assert.True(Groth16Codec.TryDecodeStepProof(proof, out var stepProof, out var membershipProof, out var batch));
        var (hi, lo) = ZkMl.Training.Contract.ContractDigest.ToBn254(digest);
        Bn254Fr Fr(IEnumerable<byte> b) => Groth16Codec.ReadFr([.. b], "test");
        string name = Guid.NewGuid().ToString("N");
        SnarkjsJson.WriteProof(fx.Path($"{name}-step-proof.json"), stepProof);
        SnarkjsJson.WritePublicSignals(fx.Path($"{name}-step-public.json"), [Fr(s.CommitmentBefore), Fr(s.CommitmentAfter), batch, hi, lo, Bn254Fr.Zero]);
        SnarkjsJson.WriteProof(fx.Path($"{name}-membership-proof.json"), membershipProof);
        SnarkjsJson.WritePublicSignals(fx.Path($"{name}-membership-public.json"),
            [Fr(s.DatasetRoot), batch, .. s.Rows.Select(r => Bn254Fr.FromUInt64((ulong)r))]);
        Assert.Contains("OK!", fx.Snarkjs("groth16", "verify", fx.StepVk, $"{name}-step-public.json", $"{name}-step-proof.json"));
        Assert.Contains("OK!", fx.Snarkjs("groth16", "verify", fx.MembershipVk, $"{name}-membership-public.json", $"{name}-membership-proof.json"));
    }

    [Fact]
    public void AZkeyForAnotherCircuitIsRejectedNamingIt()
    {
        var swapped = Assert.Throws<SnarkFormatException>(() =>
            TrainingSetup.FromZkeys(CeremonyFixture.Network, CeremonyFixture.Rows, fx.MembershipZkey, fx.StepZkey));
        Assert.Contains("SGD-step", swapped.Message);
        var moreRows = Assert.Throws<SnarkFormatException>(() =>
            TrainingSetup.FromZkeys(CeremonyFixture.Network, 2 * CeremonyFixture.Rows, fx.StepZkey, fx.MembershipZkey));
        Assert.Contains("batch-membership", moreRows.Message);
    }

    [Fact]
    public void AWorkersSelfMadeKeyForgesOnlyUnderItsOwnKey()
    {
        // Attack 1: the worker runs the (single-party) setup itself, so it holds the trapdoor of its key.
        var workerKeys = TrainingSetup.Create(Backend.Groth16, CeremonyFixture.Network, CeremonyFixture.Rows);
        var ceremony = CeremonyKeys;
        var contract = SeamChain.Contract(CeremonyFixture.Network, Data, ceremony);
        var steps = SeamChain.Prove(new Groth16StepProver(workerKeys, ProvingEngines.Cpu), Data, Initial, contract.Digest(), Batches.Take(2).ToList());

        var ownKey = new Groth16StepVerifier(QuantizedNetworkConfig.FromMlp(CeremonyFixture.Network), workerKeys.Groth16VerifyingKeys!);
        var pinned = Groth16Backend.Verifier(contract, ceremony);
        foreach (var (statement, proof) in steps)
        {
            Assert.True(ownKey.VerifyStep(statement, proof));
            Assert.False(pinned.VerifyStep(statement, proof));
        }

        // The verifier refuses to be built from a key the contract does not pin, naming the key.
        var both = Assert.Throws<ArgumentException>(() => Groth16Backend.Verifier(contract, workerKeys.Groth16VerifyingKeys!));
        Assert.Contains("step verifying key", both.Message);
        Assert.Contains(nameof(ZkMl.Training.Contract.TrainingContract.StepVerifyingKeySha256), both.Message);
        var membershipOnly = Assert.Throws<ArgumentException>(() =>
            Groth16Backend.Verifier(contract, new Groth16VerifyingKeys(ceremony.Step, workerKeys.Groth16VerifyingKeys!.Membership)));
        Assert.Contains("membership verifying key", membershipOnly.Message);
        Assert.Contains(nameof(ZkMl.Training.Contract.TrainingContract.MembershipVerifyingKeySha256), membershipOnly.Message);
    }

    [Fact]
    public void PinnedHashIsSha256OfTheDocumentedCanonicalBytes()
    {
        var vk = CeremonyKeys.Step;
        var bytes = Groth16VerifyingKeys.CanonicalBytes(vk);
        var expected = new List<byte>();
        expected.AddRange(vk.Alpha1.ToUncompressed());
        expected.AddRange(vk.Beta2.ToUncompressed());
        expected.AddRange(vk.Gamma2.ToUncompressed());
        expected.AddRange(vk.Delta2.ToUncompressed());
        expected.AddRange(BitConverter.GetBytes((uint)vk.IC.Count)); // little-endian on every supported platform
        foreach (var p in vk.IC) expected.AddRange(p.ToUncompressed());
        Assert.Equal(expected, bytes);
        Assert.Equal(SHA256.HashData(bytes), CeremonyKeys.StepSha256.ToArray());
        var round = Groth16VerifyingKeys.FromBytes(bytes, Groth16VerifyingKeys.CanonicalBytes(CeremonyKeys.Membership));
        Assert.Equal(CeremonyKeys.StepSha256.ToArray(), round.StepSha256.ToArray());
        Assert.Throws<SnarkFormatException>(() => Groth16VerifyingKeys.ParseCanonicalBytes(bytes.AsSpan(1), "step"));
        bytes[^1] ^= 1;
        Assert.Throws<SnarkFormatException>(() => Groth16VerifyingKeys.ParseCanonicalBytes(bytes, "step"));
    }
}
