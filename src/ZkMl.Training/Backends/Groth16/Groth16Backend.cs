using ZkMl.Common;
using ZkMl.Circuits;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Circuits;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>
/// Groth16 over BN254. A step proof is two Groth16 proofs that share the batch commitment
/// c_B = PoseidonCommitment(sample leaves, batch salt), a sample leaf being Poseidon(packed inputs, label)
/// (<see cref="TrainingCommitments"/>):
/// <list type="number">
/// <item>the SGD-step circuit (<see cref="SgdStepCircuit{T}"/>), public (c_W, c_W', c_B, contract digest hi, lo, step index):
/// W' is one exact quantized SGD step from W on the batch committed in c_B, bound to the run and the position;</item>
/// <item>the batch-membership circuit (<see cref="BatchMembershipCircuit"/>), public (root, c_B, the batch's row positions):
/// every leaf committed in c_B, salted with its row's secret salt, has a Merkle path to the dataset root at its scheduled position.</item>
/// </list>
/// Splitting membership into its own circuit keeps the SGD circuit the one tested bit for bit against
/// <see cref="QuantizedNetwork"/>, and the shared c_B links the two: Poseidon binding means both proofs talk about the same
/// rows. Neither proof reveals the rows or the weights (all commitments are salted); the row positions are public, from the
/// contract's schedule. Keys come from a multi-party ceremony (<see cref="FromZkeys"/>, docs/ceremony.md); the verifier
/// takes them from the caller and checks them against the contract's pins, never from the worker.
/// This class holds the setup and the weight commitment; committer, prover, verifier and codec have their own files.
/// </summary>
internal static class Groth16Backend
{
    /// <summary>Single-party setup (the caller draws and must discard the toxic waste): for tests and local use only.</summary>
    internal static TrainingKeys Setup(QuantizedNetworkConfig network, int datasetRows, IProgress<double>? progress = null)
    {
        BackendCapacity.CheckGroth16(network);
        var step = StepCircuit(network);
        var membership = MembershipCircuit(network, datasetRows);
        // Each key's share of the progress is its share of the constraints (key generation is linear in them).
        double split = (double)step.Constraints.Count / Math.Max(1, step.Constraints.Count + membership.Constraints.Count);
        var stepKey = Groth16Setup.Development(step, progress is null ? null : new ScaledProgress(progress, 0, split));
        var membershipKey = Groth16Setup.Development(membership, progress is null ? null : new ScaledProgress(progress, split, 1));
        return Keys(network, datasetRows, stepKey, membershipKey);
    }

    /// <summary>Keys from the final .zkey files of a phase-2 ceremony over <see cref="ExportCircuits"/>'s circuits.</summary>
    internal static TrainingKeys FromZkeys(QuantizedNetworkConfig network, int datasetRows, string stepZkeyPath, string membershipZkeyPath)
    {
        BackendCapacity.CheckGroth16(network);
        var step = Zkey.ReadProvingKey(stepZkeyPath);
        Groth16ZkeyCheck.Check(stepZkeyPath, step, StepCircuit(network), "SGD-step");
        var membership = Zkey.ReadProvingKey(membershipZkeyPath);
        Groth16ZkeyCheck.Check(membershipZkeyPath, membership, MembershipCircuit(network, datasetRows), "batch-membership");
        return Keys(network, datasetRows, step, membership);
    }

    /// <summary>Writes both circuits as circom .r1cs files, the input of `snarkjs groth16 setup`.</summary>
    internal static void ExportCircuits(QuantizedNetworkConfig network, int datasetRows, string stepR1csPath, string membershipR1csPath)
    {
        BackendCapacity.CheckGroth16(network);
        CircomR1cs.WriteFile(StepCircuit(network), stepR1csPath);
        CircomR1cs.WriteFile(MembershipCircuit(network, datasetRows), membershipR1csPath);
    }

    /// <summary>
    /// The step verifier of a run under <paramref name="contract"/>, from the trusted keys the caller holds (a ceremony's
    /// published files), after checking them against the SHA-256 values the contract pins.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not the one the contract pins (the message names it).</exception>
    internal static IStepVerifier Verifier(TrainingContract contract, Groth16VerifyingKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        keys.CheckPinnedBy(contract);
        return new Groth16StepVerifier(contract.ToQuantizedNetworkConfig(), keys);
    }

    internal static R1cs<Bn254Fr> StepCircuit(QuantizedNetworkConfig network) => SgdStepCircuit<Bn254Fr>.BuildShape(network);

    internal static R1cs<Bn254Fr> MembershipCircuit(QuantizedNetworkConfig network, int datasetRows) => BatchMembershipCircuit.BuildShape(network, datasetRows);

    private static TrainingKeys Keys(QuantizedNetworkConfig network, int datasetRows, Groth16ProvingKey step, Groth16ProvingKey membership)
    {
        var keys = new Groth16TrainingKeys(step, membership);
        return new TrainingKeys(Backend.Groth16, network, datasetRows, keys);
    }

    /// <summary>The salted Poseidon commitment to the weights that the SGD-step circuit exposes (32 bytes).</summary>
    internal static byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) =>
        Groth16Codec.FrBytesOf(TrainingCommitments.Parameters(model.Config.ValueBits, model.Parameters, Groth16Codec.ReadFr(salt, "salt")));
}
