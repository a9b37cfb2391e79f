using ZkMl.Training.Contract;
using ZkMl.Models;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Backends.Stark;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Backends;

/// <summary>Factory for the backends compiled into this assembly.</summary>
internal static class BackendRegistry
{
    internal static IDatasetCommitter Committer(Backend backend, QuantizedNetworkConfig network) => backend switch
    {
        Backend.Groth16 => new Groth16Committer(network),
        Backend.Stark => new StarkBackend.Committer(network),
        Backend.Sumcheck => new SumcheckBackend.Committer(network),
        _ => throw NotAvailable(backend),
    };

    internal static TrainingKeys Setup(Backend backend, QuantizedNetworkConfig network, int datasetRows, IProgress<double>? progress = null) => backend switch
    {
        Backend.Groth16 => Groth16Backend.Setup(network, datasetRows, progress),
        Backend.Stark => StarkBackend.Setup(network, datasetRows),
        Backend.Sumcheck => SumcheckBackend.Setup(network, datasetRows),
        _ => throw NotAvailable(backend),
    };

    internal static IStepProver Prover(TrainingKeys keys, ProvingEngines engines) => keys.Backend switch
    {
        Backend.Groth16 => new Groth16StepProver(keys, engines),
        Backend.Stark => new StarkBackend.Prover(keys, engines),
        Backend.Sumcheck => new SumcheckBackend.Prover(keys),
        _ => throw NotAvailable(keys.Backend),
    };

    /// <summary>The step verifier for <paramref name="contract"/>; Groth16 needs the trusted keys the contract pins.</summary>
    internal static IStepVerifier Verifier(TrainingContract contract, Groth16VerifyingKeys? trustedKeys) => contract.Backend switch
    {
        Backend.Groth16 => Groth16Backend.Verifier(contract,
            trustedKeys ?? throw new ArgumentException("A Groth16 contract needs the trusted verifying keys it pins.", nameof(trustedKeys))),
        Backend.Stark => new StarkBackend.Verifier(contract.ToQuantizedNetworkConfig()),
        Backend.Sumcheck => new SumcheckBackend.Verifier(contract.ToQuantizedNetworkConfig()),
        _ => throw NotAvailable(contract.Backend),
    };

    internal static NotSupportedException NotAvailable(Backend backend) =>
        new($"The {backend} backend is not available in this build.");
}
