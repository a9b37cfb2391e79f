using ZkMl.Models;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Every padded table of one two-layer SGD step (docs/fixed-point.md) in the layouts the blocks of
/// <see cref="SumcheckStep"/> use: X, T [batch x .], W1 [hidden x input], W2 [output x hidden], Z1, S, H, Q, D [batch x hidden],
/// Z2, E [batch x output], the decrements and the updated weights in the weights' layouts, with the remainders.
/// </summary>
internal sealed class StepTables
{
    internal StepTables(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        int batch = c.BatchSize, n = c.InputSize, m = c.HiddenSize, o = c.OutputSize, f = c.FractionBits, bits = c.ValueBits;
        Shapes = ShapesFor(c);
        var (s1, s2, sq, sd2, sd1) = (Shapes[0], Shapes[1], Shapes[2], Shapes[3], Shapes[4]);
        (X, T) = Batch(c, inputs, labels);
        W1 = RescaledProduct.Pad(w1, m, n, s1.PaddedColumns, s1.PaddedInner);
        W2 = RescaledProduct.Pad(w2, o, m, s2.PaddedColumns, s2.PaddedInner);
        (Z1, R1) = RescaledProduct.Compute(s1, inputs, w1);
        (S, H) = ReluArgument.Compute(Z1);
        var h = Unpad(H, batch, m, s1.PaddedColumns);
        (Z2, R2) = RescaledProduct.Compute(s2, h, w2);
        E = Z2.Zip(T, (z, target) => z - target).ToArray();
        var e = Unpad(E, batch, o, s2.PaddedColumns);
        (Q, RQ) = RescaledProduct.Compute(sq, e, w2);
        D = S.Zip(Q, (s, q) => s * q).ToArray();
        (Delta2, RDelta2) = RescaledProduct.Compute(sd2, e, h);
        (Delta1, RDelta1) = RescaledProduct.Compute(sd1, Unpad(D, batch, m, s1.PaddedColumns), inputs);
        W1After = W1.Zip(Delta1, (w, d) => w - d).ToArray();
        W2After = W2.Zip(Delta2, (w, d) => w - d).ToArray();
        foreach (long w in W1After.Concat(W2After)) FixedPoint.CheckRange(w, bits, "an updated weight");
    }

    /// <summary>The padded batch tables X [batch x inputs] and T [batch x outputs] (one-hot targets at scale 2^f).</summary>
    internal static (long[] X, long[] T) Batch(QuantizedMlpConfig c, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        int batch = c.BatchSize, o = c.OutputSize;
        var shapes = ShapesFor(c);
        var x = RescaledProduct.Pad(inputs, batch, c.InputSize, shapes[0].PaddedRows, shapes[0].PaddedInner);
        var t = new long[batch * o];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < o; i++) t[b * o + i] = FixedPoint.Target(i, labels[b], c.FractionBits);
        return (x, RescaledProduct.Pad(t, batch, o, shapes[1].PaddedRows, shapes[1].PaddedColumns));
    }

    /// <summary>The five product blocks: Z1 = X W1^T, Z2 = H W2^T, Q = E W2, Delta2 = eta E^T H, Delta1 = eta D^T X.</summary>
    internal static RescaledProductShape[] ShapesFor(QuantizedMlpConfig c)
    {
        int batch = c.BatchSize, n = c.InputSize, m = c.HiddenSize, o = c.OutputSize, f = c.FractionBits, bits = c.ValueBits;
        int update = f + c.LearningRateShift;
        long eta = c.LearningRateNumerator;
        return
        [
            new(batch, n, m, f, bits),
            new(batch, m, o, f, bits),
            new(batch, o, m, f, bits, TransposeW: true),
            new(o, batch, m, update, bits, TransposeA: true, TransposeW: true, Multiplier: eta),
            new(m, batch, n, update, bits, TransposeA: true, TransposeW: true, Multiplier: eta),
        ];
    }

    internal RescaledProductShape[] Shapes { get; }
    internal long[] X { get; }
    internal long[] T { get; }
    internal long[] W1 { get; }
    internal long[] W2 { get; }
    internal long[] Z1 { get; }
    internal long[] R1 { get; }
    internal long[] S { get; }
    internal long[] H { get; }
    internal long[] Z2 { get; }
    internal long[] R2 { get; }
    internal long[] E { get; }
    internal long[] Q { get; }
    internal long[] RQ { get; }
    internal long[] D { get; }
    internal long[] Delta2 { get; }
    internal long[] RDelta2 { get; }
    internal long[] Delta1 { get; }
    internal long[] RDelta1 { get; }
    internal long[] W1After { get; }
    internal long[] W2After { get; }

    /// <summary>The first rows x columns of a padded row-major table with paddedColumns columns.</summary>
    internal static long[] Unpad(ReadOnlySpan<long> padded, int rows, int columns, int paddedColumns)
    {
        var m = new long[rows * columns];
        for (int i = 0; i < rows; i++) padded.Slice(i * paddedColumns, columns).CopyTo(m.AsSpan(i * columns));
        return m;
    }
}
