using ZkMl.Circuits.Quantized;
using ZkMl.Training.Backends.Stark;

namespace ZkMl.Training;

/// <summary>Proves single SGD steps for one backend (internal seam so each proof system plugs in behind the public API).</summary>
internal interface IStepProver
{
    Backend Backend { get; }
    QuantizedMlpConfig Network { get; }
    /// <summary>A fresh random salt for a weight commitment (empty when the backend's commitments are unsalted).</summary>
    byte[] NewSalt();
    /// <summary>The backend's commitment to a network's weights (what its step proofs bind as public inputs).</summary>
    byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt);
    /// <summary>Proves W' = SgdStep(W, batch) with every batch row a member of <paramref name="data"/>.</summary>
    byte[] ProveStep(QuantizedMlp before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, ReadOnlySpan<int> rows, DatasetCommitment data);
    /// <summary>Backend verification material for the transcript (Groth16 verifying key), or null.</summary>
    byte[]? VerifyingKey { get; }
}

/// <summary>Verifies single SGD-step proofs for one backend.</summary>
internal interface IStepVerifier
{
    Backend Backend { get; }
    QuantizedMlpConfig Network { get; }
    /// <summary>Commitment to published weights (initial and final) with their published salt; throws <see cref="ArgumentException"/> for a malformed salt.</summary>
    byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt);
    bool VerifyStep(ReadOnlySpan<byte> commitBefore, ReadOnlySpan<byte> commitAfter, ReadOnlySpan<byte> dataRoot, int datasetRows, ReadOnlySpan<byte> proof);
}

/// <summary>Builds a backend's dataset commitment (the hash and tree its membership proofs use).</summary>
internal interface IDatasetCommitter
{
    /// <summary>Returns the root and the backend's opening data (kept by the prover).</summary>
    (byte[] Root, object Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts);
    /// <summary>Bytes of salt per row.</summary>
    int SaltLength { get; }
    /// <summary>Fresh secret salts for <paramref name="count"/> rows (<see cref="SaltLength"/> bytes each).</summary>
    byte[] NewSalts(int count);
}

/// <summary>Factory for the backends compiled into this assembly.</summary>
internal static class BackendRegistry
{
    internal static IDatasetCommitter Committer(Backend backend, QuantizedMlpConfig network) => backend switch
    {
        Backend.Groth16 => new Groth16Backend.Committer(network),
        Backend.Stark => new StarkBackend.Committer(network),
        _ => throw NotAvailable(backend),
    };

    internal static TrainingKeys Setup(Backend backend, QuantizedMlpConfig network, int datasetRows) => backend switch
    {
        Backend.Groth16 => Groth16Backend.Setup(network, datasetRows),
        Backend.Stark => StarkBackend.Setup(network, datasetRows),
        _ => throw NotAvailable(backend),
    };

    internal static IStepProver Prover(TrainingKeys keys, DatasetCommitment data) => keys.Backend switch
    {
        Backend.Groth16 => new Groth16Backend.Prover(keys),
        Backend.Stark => new StarkBackend.Prover(keys),
        _ => throw NotAvailable(keys.Backend),
    };

    internal static IStepVerifier Verifier(Backend backend, QuantizedMlpConfig network, byte[]? verifyingKey) => backend switch
    {
        Backend.Groth16 => new Groth16Backend.Verifier(network, verifyingKey),
        Backend.Stark => verifyingKey is null ? new StarkBackend.Verifier(network)
            : throw new TranscriptFormatException("verifyingKey must be absent for the STARK backend (it has no setup)."),
        _ => throw NotAvailable(backend),
    };

    internal static NotSupportedException NotAvailable(Backend backend) =>
        new($"The {backend} backend is not available in this build.");
}
