using ZkMl.Models;

namespace ZkMl.Training.Backends;

/// <summary>Verifies single SGD-step proofs for one backend.</summary>
internal interface IStepVerifier
{
    Backend Backend { get; }
    QuantizedMlpConfig Network { get; }
    /// <summary>Commitment to published weights (initial and final) with their published salt; throws <see cref="ArgumentException"/> for a malformed salt.</summary>
    byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt);
    bool VerifyStep(ReadOnlySpan<byte> commitBefore, ReadOnlySpan<byte> commitAfter, ReadOnlySpan<byte> dataRoot, int datasetRows, ReadOnlySpan<byte> proof);
}
