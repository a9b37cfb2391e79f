using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training.Tests.Groth16;

/// <summary>Two honest steps proven once with the development keys of <see cref="Groth16Fixture"/>.</summary>
public sealed class BoundStepsFixture
{
    public BoundStepsFixture()
    {
        Shared = new Groth16Fixture();
        Digest = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
        Verifier = new Groth16StepVerifier(QuantizedNetworkConfig.FromMlp(Shared.Network), Shared.Keys.Groth16VerifyingKeys!);
        Steps = SeamChain.Prove(new Groth16StepProver(Shared.Keys, ProvingEngines.Cpu), Shared.Dataset, Shared.Initial, Digest, Shared.Batches.Take(2).ToList());
    }

    public Groth16Fixture Shared { get; }
    public byte[] Digest { get; }
    internal IStepVerifier Verifier { get; }
    internal List<(StepStatement Statement, byte[] Proof)> Steps { get; }
}

/// <summary>
/// A step proof is bound to its whole statement: the contract digest, the step index and the scheduled row positions
/// (issue #13, attack 5 for Groth16); any other value of any of them is rejected.
/// </summary>
public class StatementBindingTests(BoundStepsFixture fx) : IClassFixture<BoundStepsFixture>
{
    [Fact]
    public void HonestStepsVerifyAgainstTheirStatements()
    {
        foreach (var (statement, proof) in fx.Steps) Assert.True(fx.Verifier.VerifyStep(statement, proof), $"step {statement.Step}");
    }

    [Fact]
    public void AnotherStepIndexIsRejected()
    {
        var (s, proof) = fx.Steps[1];
        Assert.False(fx.Verifier.VerifyStep(s with { Step = 0 }, proof));
        Assert.False(fx.Verifier.VerifyStep(s with { Step = 2 }, proof));
        Assert.False(fx.Verifier.VerifyStep(s with { Step = -1 }, proof));
    }

    [Fact]
    public void AnotherContractDigestIsRejected()
    {
        var (s, proof) = fx.Steps[0];
        for (int i = 0; i < 32; i += 31)
        {
            var other = (byte[])fx.Digest.Clone();
            other[i] ^= 1; // one bit in the high half, one in the low half
            Assert.False(fx.Verifier.VerifyStep(s with { ContractDigest = [.. other] }, proof));
        }
        Assert.False(fx.Verifier.VerifyStep(s with { ContractDigest = [.. fx.Digest.Take(31)] }, proof));
    }

    [Fact]
    public void RowsOtherThanTheScheduledOnesAreRejected()
    {
        var (s, proof) = fx.Steps[0];
        int[] rows = [.. s.Rows];
        Assert.False(fx.Verifier.VerifyStep(s.WithRows(rows[1], rows[0]), proof)); // same rows, other order
        Assert.False(fx.Verifier.VerifyStep(s.WithRows(rows[0], rows[0]), proof)); // a repeated row
        int unused = Enumerable.Range(0, s.DatasetRows).First(r => !rows.Contains(r));
        Assert.False(fx.Verifier.VerifyStep(s.WithRows(rows[0], unused), proof));
        Assert.False(fx.Verifier.VerifyStep(s.WithRows(rows[0]), proof));
        Assert.False(fx.Verifier.VerifyStep(s.WithRows(rows[0], s.DatasetRows), proof));
    }

    [Fact]
    public void AProofOfOtherRowsDoesNotVerifyForTheScheduledRows()
    {
        // The worker trains on rows of its choice and claims the scheduled positions.
        var (s, _) = fx.Steps[0];
        int[] chosen = [.. Enumerable.Range(0, s.DatasetRows).Where(r => !s.Rows.Contains(r)).Take(2)];
        var forged = SeamChain.Prove(new Groth16StepProver(fx.Shared.Keys, ProvingEngines.Cpu), fx.Shared.Dataset, fx.Shared.Initial, fx.Digest, [chosen])[0];
        Assert.True(fx.Verifier.VerifyStep(forged.Statement, forged.Proof));
        Assert.False(fx.Verifier.VerifyStep(forged.Statement with { Rows = s.Rows }, forged.Proof));
    }

    [Fact]
    public void CommitmentsAndRootStayBound()
    {
        var (s0, p0) = fx.Steps[0];
        var (s1, _) = fx.Steps[1];
        Assert.False(fx.Verifier.VerifyStep(s0 with { CommitmentAfter = s1.CommitmentAfter }, p0));
        Assert.False(fx.Verifier.VerifyStep(s0 with { CommitmentBefore = s1.CommitmentBefore }, p0));
        Assert.False(fx.Verifier.VerifyStep(s0 with { DatasetRoot = [.. fx.Shared.OtherDataset.Root.Span] }, p0));
    }
}
