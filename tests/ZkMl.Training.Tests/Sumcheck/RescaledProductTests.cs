using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>Z = Rescale_f(A W^T) proven through Ligero commitments: honest proofs verify, forgeries are rejected.</summary>
public class RescaledProductTests
{
    private static readonly RescaledProductShape Shape = new(Rows: 2, Inner: 4, Columns: 3, Shift: 10, ValueBits: 32);
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private sealed record Case(long[] A, long[] W, long[] Z, long[] R, LigeroProverData CA, LigeroProverData CW, LigeroProverData CZ);

    private static Case Honest(int seed = 1)
    {
        var random = new Random(seed);
        var a = Enumerable.Range(0, Shape.Rows * Shape.Inner).Select(_ => (long)random.Next(0, 1025)).ToArray();
        var w = Enumerable.Range(0, Shape.Columns * Shape.Inner).Select(_ => (long)random.Next(-700, 701)).ToArray();
        var (z, r) = RescaledProduct.Compute(Shape, a, w);
        return Commit(a, w, z, r);
    }

    private static Case Commit(long[] a, long[] w, long[] z, long[] r)
    {
        var aPad = RescaledProduct.Pad(a, Shape.Rows, Shape.Inner, Shape.PaddedRows, Shape.PaddedInner);
        var wPad = RescaledProduct.Pad(w, Shape.Columns, Shape.Inner, Shape.PaddedColumns, Shape.PaddedInner);
        return new Case(aPad, wPad, z, r,
            LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(aPad)),
            LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(wPad)),
            LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(z)));
    }

    private static byte[] Prove(Case c, bool @unchecked = false) =>
        StandaloneBlocks.ProveRescaled(Digest, Shape, c.CA, c.CW, c.CZ, c.A, c.W, c.Z, c.R, @unchecked);

    private static bool Verify(Case c, byte[] proof, byte[]? digest = null) =>
        StandaloneBlocks.VerifyRescaled(digest ?? Digest, Shape, c.CA.Commitment, c.CW.Commitment, c.CZ.Commitment, proof);

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
    public void HonestProofVerifies()
    {
        var c = Honest();
        Assert.True(Verify(c, Prove(c)));
    }

    [Fact]
    public void ProofForAnotherStatementDigestIsRejected()
    {
        var c = Honest();
        var digest = (byte[])Digest.Clone();
        digest[5] ^= 1;
        Assert.False(Verify(c, Prove(c), digest));
    }

    [Fact]
    public void AnOffByOneQuotientIsRejected()
    {
        var h = Honest();
        var z = (long[])h.Z.Clone();
        z[1]++;
        var c = Commit(Unpad(h.A, Shape.Rows, Shape.Inner, Shape.PaddedInner),
            Unpad(h.W, Shape.Columns, Shape.Inner, Shape.PaddedInner), z, h.R);
        Assert.False(Verify(c, Prove(c)));
    }

    [Fact]
    public void AQuotientBalancedByAnOutOfRangeRemainderIsRejected()
    {
        var h = Honest();
        var z = (long[])h.Z.Clone();
        var r = (long[])h.R.Clone();
        z[1]++;
        r[1] -= 1L << Shape.Shift;
        var c = Commit(Unpad(h.A, Shape.Rows, Shape.Inner, Shape.PaddedInner), Unpad(h.W, Shape.Columns, Shape.Inner, Shape.PaddedInner), z, r);
        Assert.False(Verify(c, Prove(c, @unchecked: true)));
    }

    [Fact]
    public void AProofAgainstOtherWeightsIsRejected()
    {
        var c = Honest();
        var proof = Prove(c);
        var other = Honest(seed: 2);
        Assert.False(StandaloneBlocks.VerifyRescaled(Digest, Shape, c.CA.Commitment, other.CW.Commitment, c.CZ.Commitment, proof));
    }

    [Fact]
    public void BitFlipsAndTruncationsAreRejected()
    {
        var c = Honest();
        var proof = Prove(c);
        var random = new Random(3);
        for (int i = 0; i < 24; i++)
        {
            var flipped = (byte[])proof.Clone();
            int position = i < 8 ? i : random.Next(proof.Length);
            flipped[position] ^= (byte)(1 << random.Next(8));
            Assert.False(Verify(c, flipped));
        }
        Assert.False(Verify(c, proof[..^1]));
        Assert.False(Verify(c, proof[..(proof.Length / 2)]));
        Assert.False(Verify(c, [.. proof, 0]));
    }

    private static long[] Unpad(long[] padded, int rows, int columns, int paddedColumns)
    {
        var m = new long[rows * columns];
        for (int i = 0; i < rows; i++) padded.AsSpan(i * paddedColumns, columns).CopyTo(m.AsSpan(i * columns));
        return m;
    }
}
