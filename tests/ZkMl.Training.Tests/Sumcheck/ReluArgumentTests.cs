using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeBlocks;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>S = [Z &gt; 0], H = ReLU(Z) proven alone as a zero-knowledge block (<see cref="ZeroCheck.Relu"/>), and the two-layer forward pass composed from the blocks.</summary>
public class ReluArgumentTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(7 * i))];
    private static readonly long[] Z = [5, -3, 0, 1, -2147483648, 2147483647, 0, -1];

    private static Blocks Relu(int bits, int n) => (t, l) => [ZeroCheck.Relu(bits, n, t[0], t[1], t[2], l[0])];

    private static bool ProveAndVerify(long[] z, long[] s, long[] h, byte[]? verifierDigest = null, Func<byte[], byte[]>? tamper = null) =>
        ZeroKnowledgeBlocks.ProveAndVerify(Digest, [F(z), F(s), F(h)], [ReluArgument.LimbTables(32, z, s, h)], Relu(32, 3), verifierDigest: verifierDigest, tamper: tamper);

    [Fact]
    public void HonestReluVerifies()
    {
        var (s, h) = ReluArgument.Compute(Z);
        Assert.Equal([1, 0, 0, 1, 0, 1, 0, 0], s);
        Assert.True(ProveAndVerify(Z, s, h));
    }

    [Fact]
    public void AForgedActivationIsRejected()
    {
        var (s, h) = ReluArgument.Compute(Z);
        h[0]++;
        Assert.False(ProveAndVerify(Z, s, h));
    }

    [Fact]
    public void AWrongMaskCannotBeProven()
    {
        var (s, h) = ReluArgument.Compute(Z);
        s[2] = 1;
        Assert.Throws<ArgumentOutOfRangeException>(() => ProveAndVerify(Z, s, h));
    }

    [Fact]
    public void AnotherDigestBitFlipsAndTruncationAreRejected()
    {
        var (s, h) = ReluArgument.Compute(Z);
        var digest = (byte[])Digest.Clone();
        digest[0] ^= 0x80;
        Assert.False(ProveAndVerify(Z, s, h, digest));
        var random = new Random(5);
        for (int i = 0; i < 12; i++) Assert.False(ProveAndVerify(Z, s, h, tamper: p => Flip(p, random, 8 + i)));
        Assert.False(ProveAndVerify(Z, s, h, tamper: p => p[..^3]));
    }

    [Fact]
    public void TheForwardPassComposedThroughCommitmentsMatchesTheReference()
    {
        var config = new QuantizedMlpConfig { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
        var model = QuantizedMlp.CreateInitial(config, 11);
        long[] x = [0, 1024, 512, 64, 1024, 1024, 0, 256];
        var layer1 = new RescaledProductShape(2, 4, 3, config.FractionBits, config.ValueBits);
        var layer2 = new RescaledProductShape(2, 3, 3, config.FractionBits, config.ValueBits);

        var xPad = RescaledProduct.Pad(x, 2, 4, layer1.PaddedRows, layer1.PaddedInner);
        var w1Pad = RescaledProduct.Pad(model.Weights1.ToArray(), 3, 4, layer1.PaddedColumns, layer1.PaddedInner);
        var w2Pad = RescaledProduct.Pad(model.Weights2.ToArray(), 3, 3, layer2.PaddedColumns, layer2.PaddedInner);
        var (z1, r1) = RescaledProduct.Compute(layer1, x, model.Weights1);
        var (s, h) = ReluArgument.Compute(z1);
        var hUnpadded = new long[2 * 3];
        for (int b = 0; b < 2; b++) h.AsSpan(b * layer1.PaddedColumns, 3).CopyTo(hUnpadded.AsSpan(3 * b));
        var (z2, r2) = RescaledProduct.Compute(layer2, hUnpadded, model.Weights2);
        Assert.Equal(layer2.PaddedRows * layer2.PaddedInner, h.Length);

        // One step proof of the three blocks sharing their tables: X, W1, Z1, R1, S, H, W2, Z2, R2.
        Goldilocks[][] tables = [F(xPad), F(w1Pad), F(z1), F(r1), F(s), F(h), F(w2Pad), F(z2), F(r2)];
        Goldilocks[][][] limbs = [RescaledProduct.LimbTables(layer1, z1, r1), ReluArgument.LimbTables(config.ValueBits, z1, s, h), RescaledProduct.LimbTables(layer2, z2, r2)];
        Blocks forward = (t, l) =>
        [
            ZeroCheck.RescaledProduct(layer1, t[0], t[1], t[2], t[3], l[0]),
            ZeroCheck.Relu(config.ValueBits, layer1.OutputVariables, t[2], t[4], t[5], l[1]),
            ZeroCheck.RescaledProduct(layer2, t[5], t[6], t[7], t[8], l[2]),
        ];
        Assert.True(ZeroKnowledgeBlocks.ProveAndVerify(Digest, tables, limbs, forward));

        var expected1 = new long[3];
        var expected2 = new long[3];
        for (int b = 0; b < 2; b++)
        {
            model.Forward(x.AsSpan(4 * b, 4), expected1, expected2);
            Assert.Equal(expected2, z2.AsSpan(b * layer2.PaddedColumns, 3).ToArray());
        }
    }
}
