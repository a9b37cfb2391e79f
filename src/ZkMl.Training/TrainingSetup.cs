using System.Security.Cryptography;
using ZkMl.Circuits.Quantized;

namespace ZkMl.Training;

/// <summary>
/// Keys for proving and verifying SGD steps of one network shape and data-set size. Groth16 needs a circuit-specific
/// trusted setup: whoever runs it must discard its randomness, and verifiers pin <see cref="VerifyingKeyFingerprint"/>.
/// STARK keys are empty (transparent setup).
/// </summary>
public sealed class TrainingKeys
{
    internal TrainingKeys(Backend backend, QuantizedMlpConfig network, int datasetRows, byte[]? verifyingKey, object? provingKey)
    {
        Backend = backend;
        Network = network;
        DatasetRows = datasetRows;
        VerifyingKey = verifyingKey;
        ProvingKey = provingKey;
        VerifyingKeyFingerprint = verifyingKey is null ? null : SHA256.HashData(verifyingKey);
    }

    /// <summary>The proof system.</summary>
    public Backend Backend { get; }
    /// <summary>The network shape the keys are for.</summary>
    public QuantizedMlpConfig Network { get; }
    /// <summary>The committed data set's row count the keys are for (it fixes the Merkle depth).</summary>
    public int DatasetRows { get; }
    /// <summary>The serialized verifying key (Groth16), or null.</summary>
    public byte[]? VerifyingKey { get; }
    /// <summary>SHA-256 of <see cref="VerifyingKey"/>, to publish so verifiers can pin the key; null for STARK.</summary>
    public byte[]? VerifyingKeyFingerprint { get; }
    internal object? ProvingKey { get; }
}

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

/// <summary>Creates provers for a committed data set.</summary>
public static class TrainingProvers
{
    /// <summary>A prover for <paramref name="data"/> with <paramref name="keys"/> from <see cref="TrainingSetup.Create"/>.</summary>
    /// <exception cref="ArgumentException">The keys are for another backend, network or data-set size.</exception>
    public static TrainingProver Create(TrainingKeys keys, DatasetCommitment data)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(data);
        if (keys.Backend != data.Backend) throw new ArgumentException($"Keys are for {keys.Backend}, the data set is committed for {data.Backend}.", nameof(keys));
        if (keys.DatasetRows != data.RowCount) throw new ArgumentException($"Keys are for {keys.DatasetRows} rows, the data set has {data.RowCount}.", nameof(keys));
        return new TrainingProver(BackendRegistry.Prover(keys, data), data);
    }
}
