using ZkMl.Field;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Attacks on the zero-knowledge step ("ZKST" v4) verifier: the joint reduction's Libra mask commitment is read from the
/// proof, and its value g'(r) closes the reduction's combined check, so its parameters must be the verifier's (with rate
/// 1/2 and one query a forged g'(r) proves a false claim: tests/ZkMl.Sumcheck.Tests/AdversarialMaskSetParametersTests.cs);
/// count fields set to 2^32 - 1 anywhere in a proof are refused without an allocation failure.
/// </summary>
public class ZeroKnowledgeAdversarialTests
{
    /// <summary>The bytes a ZK step verifier with no blocks and no tables reads at Commit: the stack commitment and the reduction's mask commitment.</summary>
    private static (bool Accepted, int Variables) CommitWith(LigeroParameters reductionMaskParameters)
    {
        var verifier = new StepVerifier(Digest(0), zeroKnowledge: true);
        var masks = new StepMasks([], 0);
        var layout = new StackLayout([masks.Variables], [], RangeLimbs.LimbBits);
        var writer = new ProofWriter(StepProver.Magic, StepProver.ZeroKnowledgeVersion);
        var stack = new LigeroCommitment(SumcheckStep.ZeroKnowledgeStackParameters, layout.Variables, LigeroPcs.ChooseRowVariables(SumcheckStep.ZeroKnowledgeStackParameters, layout.Variables),
            new byte[32]);
        stack.WriteTo(writer);
        var shape = ZeroKnowledgeStep.ReductionShape(layout.Variables, []);
        ZkSumcheckMaskSet.Commit(reductionMaskParameters, [shape], new Random(1)).Commitment.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), StepProver.Magic, StepProver.ZeroKnowledgeVersion);
        return (verifier.Commit(ref reader, []), layout.Variables);
    }

    /// <summary>The parameters the honest prover uses for the reduction's masks pass Commit.</summary>
    [Fact]
    public void TheHonestReductionMaskParametersPassCommit() => Assert.True(CommitWith(SumcheckStep.ZeroKnowledgeStackParameters).Accepted);

    /// <summary>
    /// The reduction's mask commitment is read from the proof; its rate and queries must be the verifier's
    /// (StepVerifier.Commit pins them): committed at rate 1/2 with one query, its opening could carry a forged g'(r) (accepted
    /// 1 time in 4, ground) and with it any false claim of the joint reduction (found by the zkaudit review).
    /// </summary>
    [Fact]
    public void AReductionMaskCommitmentWithWeakParametersIsRefused()
    {
        Assert.False(CommitWith(new LigeroParameters(1, 1, true)).Accepted);
        Assert.False(CommitWith(new LigeroParameters(3, 1, true)).Accepted);
        Assert.False(CommitWith(new LigeroParameters(1, 124, true)).Accepted);
    }

    /// <summary>
    /// Every 4-byte window of the first 512 bytes (every 8th) and of sampled later offsets set to 2^32 - 1 (a count field
    /// claiming gigabytes where it lands on one): the verifier returns false or throws ProofFormatException, never an
    /// OutOfMemoryException or another exception.
    /// </summary>
    [Fact]
    public void HugeCountFieldsAnywhereInAZeroKnowledgeStepProofAreRefused()
    {
        var (_, step0, _) = ZeroKnowledgeStepTests.Chain.Value;
        var proof = step0.Proof;
        var offsets = Enumerable.Range(0, 64).Select(i => 6 + 8 * i).Concat(Enumerable.Range(1, 24).Select(i => (int)((long)proof.Length * i / 25))).Where(o => o + 4 <= proof.Length);
        foreach (int offset in offsets)
        {
            var forged = (byte[])proof.Clone();
            forged.AsSpan(offset, 4).Fill(0xFF);
            try
            {
                Assert.False(Verify(step0, 0, forged));
            }
            catch (ProofFormatException)
            {
            }
        }
    }
}
