using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>S = [Z &gt; 0], H = ReLU(Z) proven through Ligero commitments, and the two-layer forward pass composed from the blocks.</summary>
public class ReluArgumentTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(7 * i))];
    private static readonly long[] Z = [5, -3, 0, 1, -2147483648, 2147483647, 0, -1];

    private static LigeroProverData Commit(long[] table) => LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(table));

    private static bool ProveAndVerify(long[] z, long[] s, long[] h, byte[]? verifierDigest = null, Func<byte[], byte[]>? tamper = null)
    {
        var (cz, cs, ch) = (Commit(z), Commit(s), Commit(h));
        var proof = StandaloneBlocks.ProveRelu(Digest, 32, cz, cs, ch, z, s, h);
        proof = tamper?.Invoke(proof) ?? proof;
        return StandaloneBlocks.VerifyRelu(verifierDigest ?? Digest, 32, cz.Commitment, cs.Commitment, ch.Commitment, proof);
    }

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
        for (int i = 0; i < 12; i++)
        {
            Assert.False(ProveAndVerify(Z, s, h, tamper: p =>
            {
                var flipped = (byte[])p.Clone();
                flipped[random.Next(p.Length)] ^= (byte)(1 << random.Next(8));
                return flipped;
            }));
        }
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

        var (cx, cw1, cw2, cz1, cs, ch, cz2) = (Commit(xPad), Commit(w1Pad), Commit(w2Pad), Commit(z1), Commit(s), Commit(h), Commit(z2));
        var p1 = StandaloneBlocks.ProveRescaled(Digest, layer1, cx, cw1, cz1, xPad, w1Pad, z1, r1);
        var pr = StandaloneBlocks.ProveRelu(Digest, config.ValueBits, cz1, cs, ch, z1, s, h);
        var p2 = StandaloneBlocks.ProveRescaled(Digest, layer2, ch, cw2, cz2, h, w2Pad, z2, r2);
        Assert.True(StandaloneBlocks.VerifyRescaled(Digest, layer1, cx.Commitment, cw1.Commitment, cz1.Commitment, p1));
        Assert.True(StandaloneBlocks.VerifyRelu(Digest, config.ValueBits, cz1.Commitment, cs.Commitment, ch.Commitment, pr));
        Assert.True(StandaloneBlocks.VerifyRescaled(Digest, layer2, ch.Commitment, cw2.Commitment, cz2.Commitment, p2));

        var expected1 = new long[3];
        var expected2 = new long[3];
        for (int b = 0; b < 2; b++)
        {
            model.Forward(x.AsSpan(4 * b, 4), expected1, expected2);
            Assert.Equal(expected2, z2.AsSpan(b * layer2.PaddedColumns, 3).ToArray());
        }
    }
}
