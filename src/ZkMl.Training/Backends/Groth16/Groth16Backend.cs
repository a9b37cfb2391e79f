using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Circuits;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>
/// Groth16 over BN254. A step proof is two Groth16 proofs that share the batch commitment
/// c_B = PoseidonCommitment(sample leaves, batch salt), a sample leaf being Poseidon(packed inputs, label)
/// (<see cref="TrainingCommitments"/>):
/// <list type="number">
/// <item>the SGD-step circuit (<see cref="SgdStepCircuit{T}"/>), public (c_W, c_W', c_B): W' is one exact quantized SGD step
/// from W on the batch committed in c_B;</item>
/// <item>the batch-membership circuit (<see cref="BatchMembershipCircuit"/>), public (root, c_B): every leaf committed in c_B,
/// salted with its row's secret salt, has a Merkle path to the dataset root.</item>
/// </list>
/// Splitting membership into its own circuit keeps the SGD circuit the one tested bit for bit against
/// <see cref="QuantizedMlp"/>, and the shared c_B links the two: Poseidon binding means both proofs talk about the same
/// rows. Neither proof reveals the rows, their positions or the weights (all commitments are salted).
/// This class holds the setup and the weight commitment; committer, prover, verifier and codec have their own files.
/// </summary>
internal static class Groth16Backend
{
    internal static TrainingKeys Setup(QuantizedMlpConfig network, int datasetRows)
    {
        var stepShape = SgdStepCircuit<Bn254Fr>.BuildShape(network);
        var membershipShape = BatchMembershipCircuit.BuildShape(network, datasetRows);
        var step = Groth16Setup.Development(stepShape);
        var membership = Groth16Setup.Development(membershipShape);
        byte[] vk = Groth16Codec.VerifyingKeyBytes(step.VerifyingKey, membership.VerifyingKey);
        return new TrainingKeys(Backend.Groth16, network, datasetRows, vk, new Groth16TrainingKeys(step, membership));
    }

    /// <summary>The salted Poseidon commitment to the weights that the SGD-step circuit exposes (32 bytes).</summary>
    internal static byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) =>
        Groth16Codec.FrBytesOf(TrainingCommitments.Weights(model.Config, model.Weights1, model.Weights2, Groth16Codec.ReadFr(salt, "salt")));
}
