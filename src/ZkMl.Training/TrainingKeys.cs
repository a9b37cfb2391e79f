using ZkMl.Snark.Groth16;
using ZkMl.Training.Backends.Groth16;
using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training;

/// <summary>
/// Keys for proving and verifying SGD steps of one network shape and data-set size. Groth16 needs a circuit-specific
/// trusted setup: whoever runs it must discard its randomness, and verifiers pin <see cref="VerifyingKeyFingerprint"/>.
/// STARK keys are empty (transparent setup).
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

    /// <summary>
    /// Verification-only Groth16 keys for a network shape and dataset size, from the trusted step and membership verifying
    /// keys (e.g. a ceremony's exported <c>verification_key.json</c> files); a verifier checks them against the contract's pins.
    /// </summary>
    public static TrainingKeys FromVerifyingKeys(QuantizedMlpConfig network, int datasetRows, Groth16VerifyingKey step, Groth16VerifyingKey membership)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(membership);
        return new TrainingKeys(Backend.Groth16, network, datasetRows, Groth16Codec.VerifyingKeyBytes(step, membership), provingKey: null);
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
    internal TrainingProvingKey? ProvingKey { get; }
}
