using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Circuits;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>Proves a step as the SGD-step and batch-membership Groth16 proofs bound to its statement, on the given engines.</summary>
internal sealed class Groth16StepProver(TrainingKeys keys, ProvingEngines engines) : IStepProver
{
    private readonly Groth16TrainingKeys _keys = keys.ProvingKey as Groth16TrainingKeys
        ?? throw new ArgumentException("The keys carry no Groth16 proving keys.", nameof(keys));
    private readonly Groth16Prover _prover = new(engines.Ntt, engines.MsmG1, engines.MsmG2);

    public Backend Backend => Backend.Groth16;
    public QuantizedNetworkConfig Network => keys.Network;

    public byte[] NewSalt() => Groth16Codec.FrBytesOf(FieldMath.RandomSecure<Bn254Fr>());

    public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => Groth16Backend.CommitWeights(model, salt);

    public byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data) =>
        ProveStep(statement, before, saltBefore, saltAfter, data, null);

    public byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data,
        IProgress<double>? progress)
    {
        var rows = statement.Rows.AsSpan();
        var c = Network;
        var openings = data.Openings as Groth16DatasetOpenings
            ?? throw new ArgumentException("The data set was not committed for Groth16.", nameof(data));
        var (inputs, labels) = data.Batch(rows);
        var batchSalt = FieldMath.RandomSecure<Bn254Fr>();
        var (digestHi, digestLo, stepIndex) = Groth16StepVerifier.StatementInputs(statement);
        var step = SgdStepCircuit<Bn254Fr>.Build(c, new SgdStepInputs<Bn254Fr>(
            before.Parameters.ToArray(), inputs, labels,
            Groth16Codec.ReadFr(saltBefore, "salt before"), Groth16Codec.ReadFr(saltAfter, "salt after"), batchSalt)
        { DigestHi = digestHi, DigestLo = digestLo, Step = stepIndex });
        var membership = BatchMembershipCircuit.Build(c, data.RowCount, openings.Tree, openings.Salts, openings.SampleLeaves, rows,
            batchSalt, step.BatchCommitment);
        // Each proof's share of the progress is its share of the two domains (proving is about linear in them).
        double split = (double)_keys.Step.DomainSize / (_keys.Step.DomainSize + _keys.Membership.DomainSize);
        var (stepProof, _) = _prover.Prove(_keys.Step, step.Circuit.Witness, progress is null ? null : new ScaledProgress(progress, 0, split));
        var (membershipProof, _) = _prover.Prove(_keys.Membership, membership.Witness, progress is null ? null : new ScaledProgress(progress, split, 1));
        return Groth16Codec.EncodeStepProof(stepProof, membershipProof, step.BatchCommitment);
    }
}
