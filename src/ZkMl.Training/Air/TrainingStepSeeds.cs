using System.Security.Cryptography;

namespace ZkMl.Training.Air;

/// <summary>Secret 32-byte seeds for the three committed columns of a step. Keep them private; reuse only as documented.</summary>
public sealed record TrainingStepSeeds(byte[] WeightsBefore, byte[] Batch, byte[] WeightsAfter)
{
    /// <summary>Fresh random seeds.</summary>
    public static TrainingStepSeeds CreateRandom() =>
        new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    /// <summary>Seeds for the following step: its weights-before seed is this step's weights-after seed (so the commitments chain).</summary>
    public TrainingStepSeeds ForNextStep() => new(WeightsAfter, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
}
