using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training;

/// <summary>
/// Runs the per-shape setup of a backend. For Groth16, keys others must trust come from a multi-party phase-2 ceremony
/// (docs/ceremony.md): <see cref="ExportGroth16Circuits(QuantizedNetworkConfig, int, string, string)"/> writes the circuits, snarkjs runs the ceremony,
/// <see cref="FromZkeys(QuantizedNetworkConfig, int, string, string)"/> loads its result. <see cref="Create(Backend, QuantizedNetworkConfig, int)"/> is a single-party setup, for tests and local use only.
/// </summary>
public static class TrainingSetup
{
    /// <summary>
    /// Creates keys for <paramref name="network"/> and a data set of <paramref name="datasetRows"/> rows. Groth16:
    /// <b>development only</b>: one party draws the whole trapdoor with secure randomness and whoever ran it can forge
    /// proofs, so a verifier must never pin these keys for a run it does not control (use <see cref="FromZkeys(QuantizedNetworkConfig, int, string, string)"/>).
    /// STARK: empty keys (transparent).
    /// </summary>
    /// <exception cref="NotSupportedException">The backend is not available.</exception>
    /// <exception cref="NetworkTooLargeException">The network does not fit the backend's limits or this machine's memory (checked before allocating).</exception>
    public static TrainingKeys Create(Backend backend, QuantizedNetworkConfig network, int datasetRows) => Create(backend, network, datasetRows, null);

    /// <summary>
    /// <see cref="Create(Backend, QuantizedNetworkConfig, int)"/>, reporting <see cref="TrainingProgress"/> in phase "setup"
    /// (thousandths done, monotone; the Groth16 key generation moves in steps of about a percent of each key) to
    /// <paramref name="progress"/>, on the worker threads.
    /// </summary>
    /// <param name="backend">The proof system.</param>
    /// <param name="network">The network shape.</param>
    /// <param name="datasetRows">Rows of the data set.</param>
    /// <param name="progress">Progress sink; null for none.</param>
    /// <exception cref="NotSupportedException">The backend is not available.</exception>
    /// <exception cref="NetworkTooLargeException">The network does not fit the backend's limits or this machine's memory (checked before allocating).</exception>
    public static TrainingKeys Create(Backend backend, QuantizedNetworkConfig network, int datasetRows, IProgress<TrainingProgress>? progress)
    {
        Check(network, datasetRows);
        var fraction = progress is null ? null : new SetupProgress(progress);
        var keys = BackendRegistry.Setup(backend, network, datasetRows, fraction);
        fraction?.Report(1);
        return keys;
    }

    /// <summary>The two-layer form of <see cref="Create(Backend, QuantizedNetworkConfig, int)"/>.</summary>
    public static TrainingKeys Create(Backend backend, QuantizedMlpConfig network, int datasetRows) => Create(backend, General(network), datasetRows);

    /// <summary>The two-layer form of <see cref="Create(Backend, QuantizedNetworkConfig, int, IProgress{TrainingProgress})"/>.</summary>
    public static TrainingKeys Create(Backend backend, QuantizedMlpConfig network, int datasetRows, IProgress<TrainingProgress>? progress) =>
        Create(backend, General(network), datasetRows, progress);

    /// <summary>Fractions as "setup" thousandths, each reported once and in order.</summary>
    private sealed class SetupProgress(IProgress<TrainingProgress> sink) : IProgress<double>
    {
        private const int Total = 1000;
        private readonly Lock _lock = new();
        private int _reported = -1;

        public void Report(double value)
        {
            int done = (int)Math.Round(Math.Clamp(value, 0, 1) * Total);
            lock (_lock)
            {
                if (done <= _reported) return;
                _reported = done;
                sink.Report(new TrainingProgress("setup", done, Total));
            }
        }
    }

    /// <summary>
    /// Writes the Groth16 backend's two circuits for <paramref name="network"/> and <paramref name="datasetRows"/> rows as
    /// circom .r1cs files (the SGD step and the batch membership), the input of a snarkjs phase-2 ceremony
    /// (`snarkjs groth16 setup`). Each network shape and row count is its own circuit and needs its own ceremony.
    /// </summary>
    public static void ExportGroth16Circuits(QuantizedMlpConfig network, int datasetRows, string stepR1csPath, string membershipR1csPath) =>
        ExportGroth16Circuits(General(network), datasetRows, stepR1csPath, membershipR1csPath);

    /// <summary>As <see cref="ExportGroth16Circuits(QuantizedMlpConfig, int, string, string)"/>, for a network of any depth.</summary>
    public static void ExportGroth16Circuits(QuantizedNetworkConfig network, int datasetRows, string stepR1csPath, string membershipR1csPath)
    {
        Check(network, datasetRows);
        ArgumentException.ThrowIfNullOrEmpty(stepR1csPath);
        ArgumentException.ThrowIfNullOrEmpty(membershipR1csPath);
        Groth16Backend.ExportCircuits(network, datasetRows, stepR1csPath, membershipR1csPath);
    }

    /// <summary>
    /// Groth16 keys from the final .zkey files of a ceremony over <see cref="ExportGroth16Circuits(QuantizedNetworkConfig, int, string, string)"/>'s circuits. Each key
    /// is checked to be for its circuit (sizes and the A/B coefficient section); publish the verifying keys
    /// (<see cref="TrainingKeys.Groth16VerifyingKeys"/>, or `snarkjs zkey export verificationkey`) and pin their SHA-256
    /// in the training contract.
    /// </summary>
    /// <exception cref="ZkMl.Snark.Formats.SnarkFormatException">A file is malformed or its key is for another circuit (the message names which).</exception>
    public static TrainingKeys FromZkeys(QuantizedMlpConfig network, int datasetRows, string stepZkeyPath, string membershipZkeyPath) =>
        FromZkeys(General(network), datasetRows, stepZkeyPath, membershipZkeyPath);

    /// <summary>As <see cref="FromZkeys(QuantizedMlpConfig, int, string, string)"/>, for a network of any depth.</summary>
    public static TrainingKeys FromZkeys(QuantizedNetworkConfig network, int datasetRows, string stepZkeyPath, string membershipZkeyPath)
    {
        Check(network, datasetRows);
        ArgumentException.ThrowIfNullOrEmpty(stepZkeyPath);
        ArgumentException.ThrowIfNullOrEmpty(membershipZkeyPath);
        return Groth16Backend.FromZkeys(network, datasetRows, stepZkeyPath, membershipZkeyPath);
    }

    private static QuantizedNetworkConfig General(QuantizedMlpConfig network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        return QuantizedNetworkConfig.FromMlp(network);
    }

    private static void Check(QuantizedNetworkConfig network, int datasetRows)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, network.BatchSize);
    }
}
