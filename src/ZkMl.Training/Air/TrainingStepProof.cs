using ZkMl.Models;

namespace ZkMl.Training.Air;

/// <summary>Result of proving one SGD step with the STARK backend.</summary>
public sealed class TrainingStepProof
{
    internal TrainingStepProof(byte[] proof, long[] parametersAfter, TrainingStepCommitments commitments, string metadata)
    {
        Proof = proof;
        ParametersAfter = parametersAfter;
        Commitments = commitments;
        Metadata = metadata;
    }

    /// <summary>The serialized STARK proof.</summary>
    public byte[] Proof { get; }
    /// <summary>The parameters after the step (<see cref="QuantizedNetwork.Parameters"/> order), bit-exact with <see cref="QuantizedNetwork.TrainStep"/>.</summary>
    public long[] ParametersAfter { get; }
    /// <summary>The public commitments the proof is bound to.</summary>
    public TrainingStepCommitments Commitments { get; }
    /// <summary>Proof metadata (parameters, conjectured security, size).</summary>
    public string Metadata { get; }
}
