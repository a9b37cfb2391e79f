using ZkMl.Models;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Backends.Stark;

namespace ZkMl.Training.Backends;

/// <summary>Factory for the backends compiled into this assembly.</summary>
internal static class BackendRegistry
{
    internal static IDatasetCommitter Committer(Backend backend, QuantizedMlpConfig network) => backend switch
    {
        Backend.Groth16 => new Groth16Committer(network),
        Backend.Stark => new StarkBackend.Committer(network),
        _ => throw NotAvailable(backend),
    };

    internal static TrainingKeys Setup(Backend backend, QuantizedMlpConfig network, int datasetRows) => backend switch
    {
        Backend.Groth16 => Groth16Backend.Setup(network, datasetRows),
        Backend.Stark => StarkBackend.Setup(network, datasetRows),
        _ => throw NotAvailable(backend),
    };

    internal static IStepProver Prover(TrainingKeys keys, ProvingEngines engines) => keys.Backend switch
    {
        Backend.Groth16 => new Groth16StepProver(keys, engines),
        Backend.Stark => new StarkBackend.Prover(keys),
        _ => throw NotAvailable(keys.Backend),
    };

    internal static IStepVerifier Verifier(Backend backend, QuantizedMlpConfig network, byte[]? verifyingKey) => backend switch
    {
        Backend.Groth16 => new Groth16StepVerifier(network, verifyingKey),
        Backend.Stark => verifyingKey is null ? new StarkBackend.Verifier(network)
            : throw new TranscriptFormatException("verifyingKey must be absent for the STARK backend (it has no setup)."),
        _ => throw NotAvailable(backend),
    };

    internal static NotSupportedException NotAvailable(Backend backend) =>
        new($"The {backend} backend is not available in this build.");
}
