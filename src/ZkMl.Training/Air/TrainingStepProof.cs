using ZkMl.Models;

namespace ZkMl.Training.Air;

/// <summary>Result of proving one SGD step with the STARK backend.</summary>
public sealed class TrainingStepProof
{
    internal TrainingStepProof(byte[] proof, long[] w1After, long[] w2After, TrainingStepCommitments commitments, string metadata)
    {
        Proof = proof;
        Weights1After = w1After;
        Weights2After = w2After;
        Commitments = commitments;
        Metadata = metadata;
    }

    /// <summary>The serialized STARK proof.</summary>
    public byte[] Proof { get; }
    /// <summary>W1 after the step (Hidden x Input, row-major), bit-exact with <see cref="QuantizedMlp.TrainStep"/>.</summary>
    public long[] Weights1After { get; }
    /// <summary>W2 after the step (Output x Hidden, row-major).</summary>
    public long[] Weights2After { get; }
    /// <summary>The public commitments the proof is bound to.</summary>
    public TrainingStepCommitments Commitments { get; }
    /// <summary>Proof metadata (parameters, conjectured security, size).</summary>
    public string Metadata { get; }
}
