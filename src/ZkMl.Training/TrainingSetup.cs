using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training;

/// <summary>
/// Runs the per-shape setup of a backend. For Groth16, keys others must trust come from a multi-party phase-2 ceremony
/// (docs/ceremony.md): <see cref="ExportGroth16Circuits"/> writes the circuits, snarkjs runs the ceremony,
/// <see cref="FromZkeys"/> loads its result. <see cref="Create"/> is a single-party setup, for tests and local use only.
/// </summary>
public static class TrainingSetup
{
    /// <summary>
    /// Creates keys for <paramref name="network"/> and a data set of <paramref name="datasetRows"/> rows. Groth16:
    /// <b>development only</b>: one party draws the whole trapdoor with secure randomness and whoever ran it can forge
    /// proofs, so a verifier must never pin these keys for a run it does not control (use <see cref="FromZkeys"/>).
    /// STARK: empty keys (transparent).
    /// </summary>
    /// <exception cref="NotSupportedException">The backend is not available.</exception>
    public static TrainingKeys Create(Backend backend, QuantizedMlpConfig network, int datasetRows)
    {
        Check(network, datasetRows);
        return BackendRegistry.Setup(backend, network, datasetRows);
    }

    /// <summary>
    /// Writes the Groth16 backend's two circuits for <paramref name="network"/> and <paramref name="datasetRows"/> rows as
    /// circom .r1cs files (the SGD step and the batch membership), the input of a snarkjs phase-2 ceremony
    /// (`snarkjs groth16 setup`). Each network shape and row count is its own circuit and needs its own ceremony.
    /// </summary>
    public static void ExportGroth16Circuits(QuantizedMlpConfig network, int datasetRows, string stepR1csPath, string membershipR1csPath)
    {
        Check(network, datasetRows);
        ArgumentException.ThrowIfNullOrEmpty(stepR1csPath);
        ArgumentException.ThrowIfNullOrEmpty(membershipR1csPath);
        Groth16Backend.ExportCircuits(network, datasetRows, stepR1csPath, membershipR1csPath);
    }

    /// <summary>
    /// Groth16 keys from the final .zkey files of a ceremony over <see cref="ExportGroth16Circuits"/>'s circuits. Each key
    /// is checked to be for its circuit (sizes and the A/B coefficient section); publish the verifying keys
    /// (<see cref="TrainingKeys.Groth16VerifyingKeys"/>, or `snarkjs zkey export verificationkey`) and pin their SHA-256
    /// in the training contract.
    /// </summary>
    /// <exception cref="ZkMl.Snark.Formats.SnarkFormatException">A file is malformed or its key is for another circuit (the message names which).</exception>
    public static TrainingKeys FromZkeys(QuantizedMlpConfig network, int datasetRows, string stepZkeyPath, string membershipZkeyPath)
    {
        Check(network, datasetRows);
        ArgumentException.ThrowIfNullOrEmpty(stepZkeyPath);
        ArgumentException.ThrowIfNullOrEmpty(membershipZkeyPath);
        return Groth16Backend.FromZkeys(network, datasetRows, stepZkeyPath, membershipZkeyPath);
    }

    private static void Check(QuantizedMlpConfig network, int datasetRows)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, network.BatchSize);
    }
}
