using ZkMl.Training.Backends;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>Creates provers for a committed data set under a training contract.</summary>
public static class TrainingProvers
{
    /// <summary>
    /// A prover for <paramref name="data"/> under <paramref name="contract"/>, signing as <paramref name="worker"/>, with
    /// <paramref name="keys"/> from <see cref="TrainingSetup"/>, proving on <paramref name="engines"/> (default: <see cref="ProvingEngines.Cpu"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The keys, data set, contract and worker key do not fit together.</exception>
    public static TrainingProver Create(TrainingKeys keys, DatasetCommitment data, TrainingContract contract, WorkerKey worker, ProvingEngines? engines = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(data);
        if (keys.Backend != data.Backend) throw new ArgumentException($"Keys are for {keys.Backend}, the data set is committed for {data.Backend}.", nameof(keys));
        if (keys.DatasetRows != data.RowCount) throw new ArgumentException($"Keys are for {keys.DatasetRows} rows, the data set has {data.RowCount}.", nameof(keys));
        ArgumentNullException.ThrowIfNull(contract);
        if (keys.CommitmentsOnly && !TrainingContracts.ProvesNoStep(contract))
            throw new ArgumentException("Commit-only keys (TrainingKeys.ForCommitmentsOnly) serve only contracts that prove no step (SampleSteps with AuditSampleCount 0).", nameof(keys));
        return new TrainingProver(BackendRegistry.Prover(keys, engines ?? ProvingEngines.Cpu), data, contract, worker);
    }
}
