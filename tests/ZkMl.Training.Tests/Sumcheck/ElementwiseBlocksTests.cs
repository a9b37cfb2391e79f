using ZkMl.Field;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeBlocks;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>D = S o Q and Y = X1 - X2 (with the signed range of Y) proven alone as zero-knowledge blocks; forgeries are rejected.</summary>
public class ElementwiseBlocksTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(5 * i))];
    private static readonly long[] S = [1, 0, 0, 1, 1, 0, 1, 0];
    private static readonly long[] Q = [7, -9, 3, -2147483648, 0, 12, -1, 2147483647];

    private static bool Hadamard(long[] d, byte[]? digest = null, Func<byte[], byte[]>? tamper = null) =>
        ProveAndVerify(Digest, [F(S), F(Q), F(d)], [], (t, _) => [ZeroCheck.Hadamard(3, t[0], t[1], t[2])], verifierDigest: digest, tamper: tamper);

    private static bool Difference(long[] x1, long[] x2, long[] y, int bits, byte[]? digest = null, Func<byte[], byte[]>? tamper = null)
    {
        Goldilocks[][][] limbs = bits > 0 ? [DifferenceArgument.LimbTables(bits, y)] : [];
        int n = Common.BitMath.CeilingLog2(y.Length);
        return ProveAndVerify(Digest, [F(x1), F(x2), F(y)], limbs, (t, l) => [ZeroCheck.Difference(bits, n, t[0], t[1], t[2], bits > 0 ? l[0] : [])],
            verifierDigest: digest, tamper: tamper);
    }

    private static long[] Masked() => [.. S.Zip(Q, (s, q) => s * q)];

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
        var random = new Random(0);
        for (int i = 0; i < 6; i++) Assert.False(Hadamard(Masked(), tamper: p => Flip(p, random, 8 + i)));
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
        var random = new Random(10);
        for (int i = 0; i < 6; i++) Assert.False(Difference(w, delta, updated, 32, tamper: p => Flip(p, random, 8 + i)));
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
