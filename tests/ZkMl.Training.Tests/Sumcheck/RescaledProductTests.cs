using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeBlocks;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>Z = Rescale_f(A W^T) proven alone as a zero-knowledge block (<see cref="ZeroCheck.RescaledProduct"/>): honest proofs verify, forgeries are rejected.</summary>
public class RescaledProductTests
{
    private static readonly RescaledProductShape Shape = new(Rows: 2, Inner: 4, Columns: 3, Shift: 10, ValueBits: 32);
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private sealed record Case(long[] A, long[] W, long[] Z, long[] R);

    private static Case Honest(int seed = 1)
    {
        var random = new Random(seed);
        var a = Enumerable.Range(0, Shape.Rows * Shape.Inner).Select(_ => (long)random.Next(0, 1025)).ToArray();
        var w = Enumerable.Range(0, Shape.Columns * Shape.Inner).Select(_ => (long)random.Next(-700, 701)).ToArray();
        var (z, r) = RescaledProduct.Compute(Shape, a, w);
        return new Case(RescaledProduct.Pad(a, Shape.Rows, Shape.Inner, Shape.PaddedRows, Shape.PaddedInner),
            RescaledProduct.Pad(w, Shape.Columns, Shape.Inner, Shape.PaddedColumns, Shape.PaddedInner), z, r);
    }

    private static bool ProveAndVerify(Case c, bool @unchecked = false, byte[]? verifierDigest = null, Func<byte[], byte[]>? tamper = null)
    {
        var (tables, limbs) = RescaledTables(Shape, c.A, c.W, c.Z, c.R, @unchecked);
        return ZeroKnowledgeBlocks.ProveAndVerify(Digest, tables, limbs, Rescaled(Shape), verifierDigest: verifierDigest, tamper: tamper);
    }

    [Fact]
    public void QuotientsMatchTheReferenceForwardPass()
    {
        var config = new QuantizedMlpConfig { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
        var model = QuantizedMlp.CreateInitial(config, 7);
        long[] x = [0, 1024, 512, 64, 1024, 1024, 0, 256];
        var (z, _) = RescaledProduct.Compute(Shape, x, model.Weights1.ToArray());
        var z1 = new long[3];
        var z2 = new long[3];
        for (int b = 0; b < 2; b++)
        {
            model.Forward(x.AsSpan(4 * b, 4), z1, z2);
            for (int j = 0; j < 3; j++) Assert.Equal(z1[j], z[b * Shape.PaddedColumns + j]);
        }
    }

    [Fact]
    public void HonestProofVerifies() => Assert.True(ProveAndVerify(Honest()));

    [Fact]
    public void ProofForAnotherStatementDigestIsRejected()
    {
        var digest = (byte[])Digest.Clone();
        digest[5] ^= 1;
        Assert.False(ProveAndVerify(Honest(), verifierDigest: digest));
    }

    [Fact]
    public void AnOffByOneQuotientIsRejected()
    {
        var h = Honest();
        var z = (long[])h.Z.Clone();
        z[1]++;
        Assert.False(ProveAndVerify(h with { Z = z }));
    }

    [Fact]
    public void AQuotientBalancedByAnOutOfRangeRemainderIsRejected()
    {
        // 2^k Z + R - 2^(k-1) = A W^T still holds; R's limbs recompose it but fall outside the range table.
        var h = Honest();
        var z = (long[])h.Z.Clone();
        var r = (long[])h.R.Clone();
        z[1]++;
        r[1] -= 1L << Shape.Shift;
        Assert.False(ProveAndVerify(h with { Z = z, R = r }, @unchecked: true));
    }

    /// <summary>
    /// The stack holds W and other weights W2; the prover proves the product over W, the verifier's block names W2: the
    /// prover's finals are claims on W, the verifier's on W2, and the joint reduction refuses. (At the step, a proof
    /// against a chain commitment to other weights: <see cref="ZeroKnowledgeStepTests.TamperedWeightsBeforeOrAfterAreRejected"/>.)
    /// </summary>
    [Fact]
    public void AProofAgainstOtherWeightsIsRejected()
    {
        var c = Honest();
        var (tables, limbs) = RescaledTables(Shape, c.A, c.W, c.Z, c.R);
        tables = [.. tables, F(Honest(seed: 2).W)];
        Blocks other = (t, l) => [ZeroCheck.RescaledProduct(Shape, t[0], t[4], t[2], t[3], l[0])];
        Assert.True(ZeroKnowledgeBlocks.ProveAndVerify(Digest, tables, limbs, Rescaled(Shape)));
        Assert.False(ZeroKnowledgeBlocks.ProveAndVerify(Digest, tables, limbs, Rescaled(Shape), other));
    }

    [Fact]
    public void BitFlipsAndTruncationsAreRejected()
    {
        var c = Honest();
        var random = new Random(3);
        for (int i = 0; i < 24; i++) Assert.False(ProveAndVerify(c, tamper: p => Flip(p, random, i)));
        Assert.False(ProveAndVerify(c, tamper: p => p[..^1]));
        Assert.False(ProveAndVerify(c, tamper: p => p[..(p.Length / 2)]));
        Assert.False(ProveAndVerify(c, tamper: p => [.. p, 0]));
    }
}
