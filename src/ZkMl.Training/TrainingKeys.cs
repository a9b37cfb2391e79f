using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training;

/// <summary>
/// Keys for proving and verifying SGD steps of one network shape and data-set size. Groth16 needs a circuit-specific
/// trusted setup: a multi-party ceremony (<see cref="TrainingSetup.FromZkeys(QuantizedNetworkConfig, int, string, string)"/>) whose verifying keys
/// (<see cref="Groth16VerifyingKeys"/>) a training contract pins by SHA-256. STARK keys are empty (transparent setup).
/// </summary>
public sealed class TrainingKeys
{
    internal TrainingKeys(Backend backend, QuantizedNetworkConfig network, int datasetRows, TrainingProvingKey? provingKey, bool commitmentsOnly = false)
    {
        CommitmentsOnly = commitmentsOnly;
        Backend = backend;
        Network = network;
        DatasetRows = datasetRows;
        ProvingKey = provingKey;
    }

    /// <summary>The proof system.</summary>
    public Backend Backend { get; }
    /// <summary>The network shape the keys are for.</summary>
    public QuantizedNetworkConfig Network { get; }
    /// <summary>The committed data set's row count the keys are for (it fixes the Merkle depth).</summary>
    public int DatasetRows { get; }
    /// <summary>Groth16: the SGD-step and membership verifying keys, with the SHA-256 values a contract pins; null for STARK.</summary>
    public Groth16VerifyingKeys? Groth16VerifyingKeys => (ProvingKey as Groth16TrainingKeys)?.VerifyingKeys;
    internal TrainingProvingKey? ProvingKey { get; }

    /// <summary>True for <see cref="ForCommitmentsOnly"/>'s keys, which serve only contracts that prove no step.</summary>
    public bool CommitmentsOnly { get; }

    /// <summary>
    /// Keys for a commit-only run (docs/protocol.md): a contract with <see cref="Contract.AuditPolicy.SampleSteps"/> and
    /// <see cref="Contract.TrainingContract.AuditSampleCount"/> 0, whose worker publishes and signs the chain of weight
    /// commitments but proves no step. They use the STARK backend's transparent commitments and, since nothing is proven,
    /// no backend capacity check: any network the reference trainer runs can be committed.
    /// </summary>
    public static TrainingKeys ForCommitmentsOnly(QuantizedNetworkConfig network, int datasetRows)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, network.BatchSize);
        return new TrainingKeys(Backend.Stark, network, datasetRows, null, commitmentsOnly: true);
    }
}
