using ZkMl.Models;

namespace ZkMl.Training.Backends;

/// <summary>Verifies single SGD-step proofs for one backend.</summary>
internal interface IStepVerifier
{
    Backend Backend { get; }
    QuantizedNetworkConfig Network { get; }
    /// <summary>Commitment to published weights (initial and final) with their published salt; throws <see cref="ArgumentException"/> for a malformed salt.</summary>
    byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt);
    /// <summary>True when <paramref name="proof"/> proves <paramref name="statement"/>; malformed bytes give false.</summary>
    bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof);
}
