namespace ZkMl.Onnx;

/// <summary>
/// What an exported model records about the run that produced it: the final weight commitment and the training
/// contract's digest, stored as lowercase hex in the model's metadata under <see cref="WeightCommitmentKey"/> and
/// <see cref="ContractDigestKey"/>.
/// </summary>
/// <param name="WeightCommitment">The run's final weight commitment, as the backend encodes it.</param>
/// <param name="ContractDigest">The training contract's 32-byte digest.</param>
public sealed record OnnxRunMetadata(byte[] WeightCommitment, byte[] ContractDigest)
{
    /// <summary>Metadata key of the final weight commitment.</summary>
    public const string WeightCommitmentKey = "zkml.final_weight_commitment";
    /// <summary>Metadata key of the contract digest.</summary>
    public const string ContractDigestKey = "zkml.contract_digest";
}
