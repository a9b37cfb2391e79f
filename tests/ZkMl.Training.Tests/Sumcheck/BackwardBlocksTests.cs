using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The backward pass and the weight decrements from the product block (transposed operands, the learning-rate
/// multiplier): each block proven and verified alone in zero knowledge, the decrements equal to the reference's.
/// </summary>
public class BackwardBlocksTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(3 * i + 1))];

    /// <summary>Pads, proves and verifies one block (and refuses it as a block of another multiplier); returns the unpadded quotients (Rows x Columns).</summary>
    private static long[] Proven(RescaledProductShape shape, long[] a, long[] w)
    {
        var (z, r) = RescaledProduct.Compute(shape, a, w);
        var aPad = shape.TransposeA
            ? RescaledProduct.Pad(a, shape.Inner, shape.Rows, shape.PaddedInner, shape.PaddedRows)
            : RescaledProduct.Pad(a, shape.Rows, shape.Inner, shape.PaddedRows, shape.PaddedInner);
        var wPad = shape.TransposeW
            ? RescaledProduct.Pad(w, shape.Inner, shape.Columns, shape.PaddedInner, shape.PaddedColumns)
            : RescaledProduct.Pad(w, shape.Columns, shape.Inner, shape.PaddedColumns, shape.PaddedInner);
        var (tables, limbs) = ZeroKnowledgeBlocks.RescaledTables(shape, aPad, wPad, z, r);
        var (tv, lv) = ZeroKnowledgeBlocks.Sizes(tables, limbs);
        var proof = ZeroKnowledgeBlocks.Prove(Digest, tables, limbs, ZeroKnowledgeBlocks.Rescaled(shape));
        Assert.True(ZeroKnowledgeBlocks.Verify(Digest, tv, lv, ZeroKnowledgeBlocks.Rescaled(shape), proof));
        Assert.False(ZeroKnowledgeBlocks.Verify(Digest, tv, lv, ZeroKnowledgeBlocks.Rescaled(shape with { Multiplier = shape.Multiplier + 1 }), proof));
        var unpadded = new long[shape.Rows * shape.Columns];
        for (int i = 0; i < shape.Rows; i++) z.AsSpan(i * shape.PaddedColumns, shape.Columns).CopyTo(unpadded.AsSpan(i * shape.Columns));
        return unpadded;
    }

    [Fact]
    public void TheDecrementsProvenBlockByBlockEqualTheReference()
    {
        var config = new QuantizedMlpConfig { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
        int batch = 2, n = 4, m = 3, o = 3, f = config.FractionBits, bits = config.ValueBits;
        var model = QuantizedMlp.CreateInitial(config, 5);
        long[] x = [0, 1024, 512, 64, 1024, 1024, 0, 256];
        int[] labels = [2, 0];

        var z1 = Proven(new(batch, n, m, f, bits), x, model.Weights1.ToArray());
        var h = z1.Select(v => Math.Max(v, 0)).ToArray();
        var z2 = Proven(new(batch, m, o, f, bits), h, model.Weights2.ToArray());
        var e = new long[batch * o];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < o; i++) e[b * o + i] = z2[b * o + i] - FixedPoint.Target(i, labels[b], f);
        // g = E W2 (W2 stored [o x m] = [inner x columns]); d = [z1 > 0] Rescale_f(g).
        var q = Proven(new(batch, o, m, f, bits, TransposeW: true), e, model.Weights2.ToArray());
        var d = q.Select((v, i) => z1[i] > 0 ? v : 0).ToArray();
        int updateShift = f + config.LearningRateShift;
        long eta = config.LearningRateNumerator;
        // Delta2 = Rescale(eta E^T H): E and H stored [batch x .] = [inner x .].
        var delta2 = Proven(new(o, batch, m, updateShift, bits, TransposeA: true, TransposeW: true, Multiplier: eta), e, h);
        var delta1 = Proven(new(m, batch, n, updateShift, bits, TransposeA: true, TransposeW: true, Multiplier: eta), d, x);

        var expected1 = new long[config.Weights1Count];
        var expected2 = new long[config.Weights2Count];
        model.ComputeUpdate(x, labels, expected1, expected2);
        Assert.Equal(expected1, delta1);
        Assert.Equal(expected2, delta2);
        Assert.Contains(delta1, v => v != 0);
    }
}
