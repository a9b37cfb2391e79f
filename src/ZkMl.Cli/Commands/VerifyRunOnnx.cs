using ZkMl.Models;
using ZkMl.Onnx;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>verify-run --onnx</c>: whether an exported ONNX model is the verified run's final model. Its metadata must name the
/// contract's digest and the chain's final commitment, and the commitment recomputed from the file's weights (imported as
/// docs/fixed-point.md says, with the transcript's published final salt) must equal the transcript's final commitment.
/// </summary>
/// <remarks>
/// Only meaningful after <see cref="TrainingVerifier.VerifyRun"/> accepted the transcript: then its final weights and salt
/// open the final commitment, so a model whose weights open it too has exactly those weights. Any network the contract
/// names (any depth, with biases), and commit-only runs too (their chain is checked, no step is proven). Weights compare after the
/// import's quantization (a float that rounds to the same integer is the same weight).
/// </remarks>
internal static class VerifyRunOnnx
{
    /// <summary>Null when <paramref name="model"/> matches the run, otherwise the reason it does not.</summary>
    public static string? Mismatch(ReadOnlySpan<byte> model, TrainingVerifier verifier, TrainingTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(transcript);
        var contract = verifier.Contract;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            metadata = OnnxModel.ReadMetadata(model);
        }
        catch (OnnxFormatException e)
        {
            return $"not an ONNX model: {e.Message}";
        }
        string digest = Convert.ToHexStringLower(contract.Digest());
        if (!metadata.TryGetValue(OnnxRunMetadata.ContractDigestKey, out string? namedDigest))
            return $"its metadata names no contract digest ({OnnxRunMetadata.ContractDigestKey}).";
        if (!string.Equals(namedDigest, digest, StringComparison.OrdinalIgnoreCase))
            return $"its metadata names contract {namedDigest}, the run's contract is {digest}.";
        string final = Convert.ToHexStringLower(transcript.Commitments[^1]);
        if (!metadata.TryGetValue(OnnxRunMetadata.WeightCommitmentKey, out string? namedCommitment))
            return $"its metadata names no final weight commitment ({OnnxRunMetadata.WeightCommitmentKey}).";
        if (!string.Equals(namedCommitment, final, StringComparison.OrdinalIgnoreCase))
            return $"its metadata names final weight commitment {namedCommitment}, the run's is {final}.";

        QuantizedNetwork network;
        try
        {
            network = OnnxModel.Import(model, verifier.NetworkConfig, TrainingContracts.QuantizationOf(contract.InputQuantization));
        }
        catch (Exception e) when (e is OnnxFormatException or ContractFormatException)
        {
            return $"its graph is not the run's network: {e.Message}";
        }
        byte[] recomputed = verifier.CommitWeights(network, transcript.FinalWeights.Salt);
        return recomputed.AsSpan().SequenceEqual(transcript.Commitments[^1])
            ? null
            : "its weights are not the run's final committed weights (the commitment recomputed from them differs from the transcript's final commitment).";
    }
}
