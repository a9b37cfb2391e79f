using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Circuits;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>
/// Verifies both Groth16 proofs of a step against its statement: every public input (commitments, dataset root, row
/// positions, contract digest, step index) comes from the statement, none from the proof.
/// </summary>
internal sealed class Groth16StepVerifier : IStepVerifier
{
    private readonly Groth16VerifyingKey _step, _membership;

    /// <summary>From the trusted keys (see <see cref="Groth16Backend.Verifier"/>, which checks them against a contract).</summary>
    public Groth16StepVerifier(QuantizedNetworkConfig network, Groth16VerifyingKeys keys)
    {
        Network = network;
        (_step, _membership) = (keys.Step, keys.Membership);
        if (_step.PublicCount != SgdStepCircuit<Bn254Fr>.PublicInputCount || _membership.PublicCount != BatchMembershipCircuit.PublicInputCount(network.BatchSize))
            throw new ArgumentException(
                $"The keys do not have the SGD-step ({SgdStepCircuit<Bn254Fr>.PublicInputCount}) and membership ({BatchMembershipCircuit.PublicInputCount(network.BatchSize)}) public inputs.");
    }

    public Backend Backend => Backend.Groth16;
    public QuantizedNetworkConfig Network { get; }

    public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => Groth16Backend.CommitWeights(model, salt);

    public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof)
    {
        if (statement.ContractDigest.Length != ContractDigest.Length || statement.Step < 0 || statement.Rows.Length != Network.BatchSize) return false;
        if (!Groth16Codec.TryDecodeStepProof(proof, out var stepProof, out var membershipProof, out var batch)) return false;
        if (!Groth16Codec.TryReadFr(statement.CommitmentBefore.AsSpan(), out var before) || !Groth16Codec.TryReadFr(statement.CommitmentAfter.AsSpan(), out var after)
            || !Groth16Codec.TryReadFr(statement.DatasetRoot.AsSpan(), out var root)) return false;
        var (digestHi, digestLo, step) = StatementInputs(statement);
        var membershipInputs = new Bn254Fr[BatchMembershipCircuit.PublicInputCount(Network.BatchSize)];
        membershipInputs[0] = root;
        membershipInputs[1] = batch;
        for (int s = 0; s < statement.Rows.Length; s++)
        {
            if (statement.Rows[s] < 0 || statement.Rows[s] >= statement.DatasetRows) return false;
            membershipInputs[2 + s] = Bn254Fr.FromUInt64((ulong)statement.Rows[s]);
        }
        return Groth16Verifier.Verify(_step, [before, after, batch, digestHi, digestLo, step], stepProof)
            && Groth16Verifier.Verify(_membership, membershipInputs, membershipProof);
    }

    /// <summary>The SGD-step circuit's statement inputs: the digest's BN254 halves (<see cref="ContractDigest.ToBn254"/>) and the step index.</summary>
    internal static (Bn254Fr DigestHi, Bn254Fr DigestLo, Bn254Fr Step) StatementInputs(StepStatement statement)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(statement.Step);
        var (hi, lo) = ContractDigest.ToBn254(statement.ContractDigest.AsSpan());
        return (hi, lo, Bn254Fr.FromUInt64((ulong)statement.Step));
    }
}
