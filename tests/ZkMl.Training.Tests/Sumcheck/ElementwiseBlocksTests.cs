using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>D = S o Q and Y = X1 - X2 (with the signed range of Y) through commitments; forgeries are rejected.</summary>
public class ElementwiseBlocksTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(5 * i))];
    private static readonly long[] S = [1, 0, 0, 1, 1, 0, 1, 0];
    private static readonly long[] Q = [7, -9, 3, -2147483648, 0, 12, -1, 2147483647];

    private static LigeroProverData Commit(long[] table) => LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(table));

    private static bool Hadamard(long[] d, byte[]? digest = null, Func<byte[], byte[]>? tamper = null)
    {
        var (cs, cq, cd) = (Commit(S), Commit(Q), Commit(d));
        var proof = StandaloneBlocks.ProveHadamard(Digest, cs, cq, cd, S, Q, d);
        proof = tamper?.Invoke(proof) ?? proof;
        return StandaloneBlocks.VerifyHadamard(digest ?? Digest, cs.Commitment, cq.Commitment, cd.Commitment, proof);
    }

    private static bool Difference(long[] x1, long[] x2, long[] y, int bits, byte[]? digest = null, Func<byte[], byte[]>? tamper = null)
    {
        var (c1, c2, cy) = (Commit(x1), Commit(x2), Commit(y));
        var proof = StandaloneBlocks.ProveDifference(Digest, bits, c1, c2, cy, x1, x2, y);
        proof = tamper?.Invoke(proof) ?? proof;
        return StandaloneBlocks.VerifyDifference(digest ?? Digest, bits, c1.Commitment, c2.Commitment, cy.Commitment, proof);
    }

    private static long[] Masked() => [.. S.Zip(Q, (s, q) => s * q)];

    private static byte[] Flip(byte[] proof, int seed)
    {
        var random = new Random(seed);
        var flipped = (byte[])proof.Clone();
        flipped[random.Next(proof.Length)] ^= (byte)(1 << random.Next(8));
        return flipped;
    }

    [Fact]
    public void HadamardHonestVerifiesAndForgeriesFail()
    {
        Assert.True(Hadamard(Masked()));
        var forged = Masked();
        forged[1] = Q[1];
        Assert.False(Hadamard(forged));
        var digest = (byte[])Digest.Clone();
        digest[31] ^= 1;
        Assert.False(Hadamard(Masked(), digest));
        for (int i = 0; i < 6; i++) Assert.False(Hadamard(Masked(), tamper: p => Flip(p, i)));
        Assert.False(Hadamard(Masked(), tamper: p => p[..^1]));
    }

    [Fact]
    public void DifferenceHonestVerifiesAndForgeriesFail()
    {
        long[] w = [100, -200, 300, 0, 5, -5, 1 << 20, -(1 << 20)];
        long[] delta = [1, 2, -3, 0, 0, 7, 9, -9];
        var updated = w.Zip(delta, (a, b) => a - b).ToArray();
        Assert.True(Difference(w, delta, updated, 32));
        Assert.True(Difference(w, delta, updated, 0));
        var forged = (long[])updated.Clone();
        forged[2]++;
        Assert.False(Difference(w, delta, forged, 32));
        Assert.False(Difference(w, delta, forged, 0));
        var digest = (byte[])Digest.Clone();
        digest[3] ^= 4;
        Assert.False(Difference(w, delta, updated, 32, digest));
        for (int i = 0; i < 6; i++) Assert.False(Difference(w, delta, updated, 32, tamper: p => Flip(p, 10 + i)));
        Assert.False(Difference(w, delta, updated, 32, tamper: p => p[..^2]));
    }

    [Fact]
    public void AnUpdatedWeightOutsideTheWidthCannotBeProven()
    {
        long[] w = [2147483647, 0];
        long[] delta = [-1, 0];
        long[] updated = [2147483648, 0];
        Assert.Throws<ArgumentOutOfRangeException>(() => Difference(w, delta, updated, 32));
        Assert.True(Difference(w, delta, updated, 33));
    }
}
