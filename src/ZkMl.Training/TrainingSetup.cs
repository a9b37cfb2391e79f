using ZkMl.Circuits.Quantized;

namespace ZkMl.Training;

/// <summary>Creates provers for a committed data set.</summary>
public static class TrainingProvers
{
    /// <summary>A prover for <paramref name="data"/>'s backend (STARK: transparent; Groth16: see the Groth16 overload).</summary>
    public static TrainingProver Create(QuantizedMlpConfig network, DatasetCommitment data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        network.Validate();
        return new TrainingProver(BackendRegistry.Prover(data.Backend, network, data), data);
    }
}
