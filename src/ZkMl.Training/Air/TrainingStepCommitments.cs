namespace ZkMl.Training.Air;

/// <summary>
/// Public commitments of one SGD step: Merkle roots (Blake3) of the salted, blinded low-degree extensions of the
/// weights-before column (W1 then W2, row-major), the batch column (inputs then one-hot targets * 2^f) and the
/// weights-after column (same layout as before). Each root is reproducible from its values, its secret seed and the
/// parameters, so step t's <see cref="WeightsAfter"/> equals step t+1's <see cref="WeightsBefore"/> when the prover
/// reuses the seed (<see cref="TrainingStepSeeds.ForNextStep"/>). Roots reveal nothing about the values without the seed.
/// </summary>
public sealed record TrainingStepCommitments(byte[] WeightsBefore, byte[] Batch, byte[] WeightsAfter)
{
    /// <summary>True when all three roots are equal byte for byte.</summary>
    public bool Matches(TrainingStepCommitments other) =>
        WeightsBefore.AsSpan().SequenceEqual(other.WeightsBefore) && Batch.AsSpan().SequenceEqual(other.Batch) && WeightsAfter.AsSpan().SequenceEqual(other.WeightsAfter);
}
