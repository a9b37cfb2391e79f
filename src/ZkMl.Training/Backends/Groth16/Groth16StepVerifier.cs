using ZkMl.Models;
using ZkMl.Snark.Groth16;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>Verifies both Groth16 proofs of a step against the chain's commitments and the data-set root.</summary>
internal sealed class Groth16StepVerifier : IStepVerifier
{
    private readonly Groth16VerifyingKey _step, _membership;

    public Groth16StepVerifier(QuantizedMlpConfig network, byte[]? verifyingKey)
    {
        Network = network;
        if (verifyingKey is null) throw new TranscriptFormatException("verifyingKey is required for Groth16.");
        (_step, _membership) = Groth16Codec.ParseVerifyingKeys(verifyingKey);
        if (_step.PublicCount != 3 || _membership.PublicCount != 2)
            throw new TranscriptFormatException("verifyingKey: the keys do not have the SGD-step (3) and membership (2) public inputs.");
    }

    public Backend Backend => Backend.Groth16;
    public QuantizedMlpConfig Network { get; }

    public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => Groth16Backend.CommitWeights(model, salt);

    public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof)
    {
        ReadOnlySpan<byte> commitBefore = statement.CommitmentBefore.AsSpan(), commitAfter = statement.CommitmentAfter.AsSpan(),
            dataRoot = statement.DatasetRoot.AsSpan();
        if (!Groth16Codec.TryDecodeStepProof(proof, out var stepProof, out var membershipProof, out var batch)) return false;
        if (!Groth16Codec.TryReadFr(commitBefore, out var before) || !Groth16Codec.TryReadFr(commitAfter, out var after)
            || !Groth16Codec.TryReadFr(dataRoot, out var root)) return false;
        return Groth16Verifier.Verify(_step, [before, after, batch], stepProof)
            && Groth16Verifier.Verify(_membership, [root, batch], membershipProof);
    }
}
