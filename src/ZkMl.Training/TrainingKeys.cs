using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training;

/// <summary>
/// Keys for proving and verifying SGD steps of one network shape and data-set size. Groth16 needs a circuit-specific
/// trusted setup: a multi-party ceremony (<see cref="TrainingSetup.FromZkeys"/>) whose verifying keys
/// (<see cref="Groth16VerifyingKeys"/>) a training contract pins by SHA-256. STARK keys are empty (transparent setup).
/// </summary>
public sealed class TrainingKeys
{
    internal TrainingKeys(Backend backend, QuantizedMlpConfig network, int datasetRows, byte[]? verifyingKey, TrainingProvingKey? provingKey)
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
    /// <summary>Groth16: the SGD-step and membership verifying keys, with the SHA-256 values a contract pins; null for STARK.</summary>
    public Groth16VerifyingKeys? Groth16VerifyingKeys => (ProvingKey as Groth16TrainingKeys)?.VerifyingKeys;
    internal TrainingProvingKey? ProvingKey { get; }
}
