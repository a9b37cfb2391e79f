using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training;

/// <summary>Runs the per-shape setup of a backend.</summary>
public static class TrainingSetup
{
    /// <summary>Creates keys for <paramref name="network"/> and a data set of <paramref name="datasetRows"/> rows (Groth16: a fresh trusted setup with secure randomness).</summary>
    /// <exception cref="NotSupportedException">The backend is not available.</exception>
    public static TrainingKeys Create(Backend backend, QuantizedMlpConfig network, int datasetRows)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, network.BatchSize);
        return BackendRegistry.Setup(backend, network, datasetRows);
    }
}
