using ZkMl.Circuits.Gadgets;
using ZkMl.Common;
using ZkMl.Hashing;
using System.Numerics;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// The R1CS of one quantized SGD step of a Dense-ReLU-Dense network (docs/fixed-point.md), bit-exact with
/// <see cref="QuantizedMlp.TrainStep"/>. Public inputs, in order: the commitment to (W1, W2) before the step, the
/// commitment to (W1', W2') after it, the commitment to the batch (see <see cref="TrainingCommitments"/>), then the
/// statement binding: the contract digest's high and low halves and the step index, so a proof cannot move to another
/// run or position. That the batch rows belong to the committed data set is <see cref="BatchMembershipCircuit"/>'s
/// job, linked by the batch commitment.
/// Private: weights, batch, salts, every intermediate.
/// </summary>
/// <typeparam name="T">The field (the BN254 scalar field: commitments use circomlib's Poseidon).</typeparam>
public sealed class SgdStepCircuit<T> where T : struct, IPrimeField<T>
{
    private SgdStepCircuit(BuiltCircuit<T> built, long[] w1, long[] w2, SgdStepConstraintCounts counts)
    {
        Circuit = built;
        UpdatedWeights1 = w1;
        UpdatedWeights2 = w2;
        Counts = counts;
    }

    /// <summary>The constraint system and witness.</summary>
    public BuiltCircuit<T> Circuit { get; }

    /// <summary>W1 after the step, read back from the witness.</summary>
    public long[] UpdatedWeights1 { get; }

    /// <summary>W2 after the step, read back from the witness.</summary>
    public long[] UpdatedWeights2 { get; }

    /// <summary>Constraint counts by part.</summary>
    public SgdStepConstraintCounts Counts { get; }

    /// <summary>Commitment to the weights before the step (public input 0).</summary>
    public T WeightsBeforeCommitment => Circuit.PublicValues[0];

    /// <summary>Commitment to the weights after the step (public input 1).</summary>
    public T WeightsAfterCommitment => Circuit.PublicValues[1];

    /// <summary>Commitment to the batch (public input 2).</summary>
    public T BatchCommitment => Circuit.PublicValues[2];

    /// <summary>Number of public inputs: c_W, c_W', c_B, digest hi, digest lo, step.</summary>
    public const int PublicInputCount = 6;

    /// <summary>
    /// The circuit's shape alone (for key generation): built on zero weights and inputs, whose constraint system is
    /// the same for every witness of this configuration.
    /// </summary>
    /// <param name="config">The network and step configuration.</param>
    public static R1cs<T> BuildShape(QuantizedMlpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var zero = new SgdStepInputs<T>(new long[config.Weights1Count], new long[config.Weights2Count],
            new long[config.BatchSize * config.InputSize], new int[config.BatchSize], T.Zero, T.Zero, T.Zero);
        return Build(config, zero).Circuit.System;
    }

    /// <summary>
    /// Builds the circuit and its witness for one step. In strict mode (default) values the reference would reject
    /// throw (<see cref="FixedPointOverflowException"/>, <see cref="ArgumentOutOfRangeException"/>); with strict: false
    /// they are kept and the returned witness fails the constraints.
    /// </summary>
    public static SgdStepCircuit<T> Build(QuantizedMlpConfig config, SgdStepInputs<T> inputs, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        config.Validate();
        int n = config.InputSize, hidden = config.HiddenSize, outputs = config.OutputSize, batch = config.BatchSize;
        int f = config.FractionBits, bits = config.ValueBits, shift = f + config.LearningRateShift;
        int inputBits = TrainingCommitments.InputBits(config);
        Check(inputs.Weights1.Length == config.Weights1Count, "W1 has the wrong length");
        Check(inputs.Weights2.Length == config.Weights2Count, "W2 has the wrong length");
        Check(inputs.Inputs.Length == batch * n, "inputs have the wrong length");
        Check(inputs.Labels.Length == batch, "labels have the wrong length");
        // Largest intermediate: eta * sum over the batch of (B-bit) * (B-bit), plus the rescale relations' 2^(B+k).
        int magnitude = Math.Max(2 * bits + BitMath.CeilingLog2(batch) + BitMath.CeilingLog2(Math.Max(n, Math.Max(hidden, outputs))) + BitMath.CeilingLog2(config.LearningRateNumerator) + 2, bits + shift + 2);
        FixedPointGadgets<T>.RequireFieldBits(magnitude);

        var b = new R1csBuilder<T>(strict);
        var g = new FixedPointGadgets<T>(b, bits);
        // Public inputs first (values computed natively; the gadgets below are bound to them at the end).
        // (With strict: false, values that cannot be committed natively leave 0 there, which the circuit then rejects.)
        var commitBefore = b.PublicInput(NativeOrZero(strict, () => TrainingCommitments.Weights(config, inputs.Weights1, inputs.Weights2, inputs.SaltBefore)));
        var w1After = new long[inputs.Weights1.Length];
        var w2After = new long[inputs.Weights2.Length];
        var afterValue = b.PublicInput(T.Zero); // placeholder value, fixed below once W' is known
        var commitBatch = b.PublicInput(NativeOrZero(strict, () => TrainingCommitments.Batch(config, inputs.Inputs, inputs.Labels, inputs.BatchSalt)));
        var digestHi = b.PublicInput(inputs.DigestHi);
        var digestLo = b.PublicInput(inputs.DigestLo);
        var step = b.PublicInput(inputs.Step);
        var saltBefore = b.PrivateInput(inputs.SaltBefore);
        var saltAfter = b.PrivateInput(inputs.SaltAfter);
        var batchSalt = b.PrivateInput(inputs.BatchSalt);

        int c0 = b.ConstraintCount;
        var w1 = inputs.Weights1.Select((w, i) => g.NewSignedWire(w, bits, $"W1[{i}]")).ToArray();
        var w2 = inputs.Weights2.Select((w, i) => g.NewSignedWire(w, bits, $"W2[{i}]")).ToArray();
        int weightChecks = b.ConstraintCount - c0;

        c0 = b.ConstraintCount;
        var xs = new SignedWire<T>[batch][];
        for (int s = 0; s < batch; s++)
        {
            xs[s] = new SignedWire<T>[n];
            for (int k = 0; k < n; k++) xs[s][k] = g.NewSignedWire(inputs.Inputs[s * n + k], inputBits, $"input {k} of sample {s}");
        }
        int inputChecks = b.ConstraintCount - c0;

        int macs = 0, nonlinear = 0;
        var w1v = w1.Select(w => w.Value).ToArray();
        var w2v = w2.Select(w => w.Value).ToArray();
        var grad1 = new List<LinearCombination<T>>[w1.Length];
        var grad2 = new List<LinearCombination<T>>[w2.Length];
        for (int i = 0; i < grad1.Length; i++) grad1[i] = new(batch);
        for (int i = 0; i < grad2.Length; i++) grad2[i] = new(batch);
        var labels = new LinearCombination<T>[batch];
        for (int s = 0; s < batch; s++)
        {
            var x = xs[s].Select(v => v.Value).ToArray();
            c0 = b.ConstraintCount;
            var a1 = g.Dense(w1v, hidden, n, x);
            macs += b.ConstraintCount - c0;
            c0 = b.ConstraintCount;
            var z1 = a1.Select((a, j) => g.Rescale(a, f, $"z1[{j}] of sample {s}")).ToArray();
            var relu = z1.Select(g.Relu).ToArray();
            var h = relu.Select(r => r.Output).ToArray();
            nonlinear += b.ConstraintCount - c0;
            c0 = b.ConstraintCount;
            var a2 = g.Dense(w2v, outputs, hidden, h);
            macs += b.ConstraintCount - c0;
            c0 = b.ConstraintCount;
            var z2 = a2.Select((a, i) => g.Rescale(a, f, $"z2[{i}] of sample {s}", asWire: true).Value).ToArray();
            var (onehot, label) = g.OneHot(inputs.Labels[s], outputs);
            labels[s] = label;
            var targets = onehot.Select(o => o * T.FromUInt64(1UL << f)).ToArray();
            var e = g.MseGradient(z2, targets);
            nonlinear += b.ConstraintCount - c0;
            // g = W2^T e (uses the pre-update W2), then dh = Rescale_f(mask * g): Rescale_f(0) = 0 matches the
            // reference's "0 when z1 <= 0" without range-checking values it never computes.
            c0 = b.ConstraintCount;
            var gsum = new LinearCombination<T>[hidden];
            for (int j = 0; j < hidden; j++)
            {
                var col = new LinearCombination<T>[outputs];
                for (int i = 0; i < outputs; i++) col[i] = w2v[i * hidden + j];
                gsum[j] = g.Dot(col, e);
            }
            for (int i = 0; i < outputs; i++)
                for (int j = 0; j < hidden; j++) grad2[i * hidden + j].Add(b.Mul(e[i], h[j]));
            macs += b.ConstraintCount - c0;
            c0 = b.ConstraintCount;
            var dh = new LinearCombination<T>[hidden];
            for (int j = 0; j < hidden; j++) dh[j] = g.Rescale(b.Mul(relu[j].Positive, gsum[j]), f, $"dh[{j}] of sample {s}", asWire: true).Value;
            nonlinear += b.ConstraintCount - c0;
            c0 = b.ConstraintCount;
            for (int j = 0; j < hidden; j++)
                for (int k = 0; k < n; k++) grad1[j * n + k].Add(b.Mul(dh[j], x[k]));
            macs += b.ConstraintCount - c0;
        }

        c0 = b.ConstraintCount;
        var eta = T.FromUInt64((ulong)config.LearningRateNumerator);
        SignedWire<T> Update(SignedWire<T> w, List<LinearCombination<T>> grads, string name, out long updated)
        {
            var delta = g.Rescale(LinearCombination<T>.Sum(grads) * eta, shift, $"update of {name}");
            var after = g.RangeCheckSigned(w.Value - delta.Value, bits, $"{name} after the update");
            updated = (long)g.IntegerValue(after.Value);
            return after;
        }
        var w1New = new SignedWire<T>[w1.Length];
        var w2New = new SignedWire<T>[w2.Length];
        for (int i = 0; i < w1.Length; i++) w1New[i] = Update(w1[i], grad1[i], $"W1[{i}]", out w1After[i]);
        for (int i = 0; i < w2.Length; i++) w2New[i] = Update(w2[i], grad2[i], $"W2[{i}]", out w2After[i]);
        int updates = b.ConstraintCount - c0 + weightChecks;

        c0 = b.ConstraintCount;
        b.AssertEqual(PoseidonCommitmentGadget.Commit(b, FixedPointGadgets<T>.PackSigned([.. w1, .. w2]), saltBefore), commitBefore);
        var afterCommitment = PoseidonCommitmentGadget.Commit(b, FixedPointGadgets<T>.PackSigned([.. w1New, .. w2New]), saltAfter);
        var leaves = new LinearCombination<T>[batch];
        for (int s = 0; s < batch; s++)
            leaves[s] = PoseidonGadget.Hash(b, [.. FixedPointGadgets<T>.PackSigned(xs[s]), labels[s]]);
        b.AssertEqual(PoseidonCommitmentGadget.Commit(b, leaves, batchSalt), commitBatch);
        // snarkjs-style setups already bind every public input through its own QAP row; one product per statement input
        // also binds them under setups that do not add those rows.
        foreach (var x in new[] { digestHi, digestLo, step }) b.Mul(x, x);
        int commitments = b.ConstraintCount - c0 + 1;

        // The after-commitment is a public input whose value is only known now: set it, then bind it.
        b.SetPublicInputValue(afterValue, b.Value(afterCommitment));
        b.AssertEqual(afterCommitment, afterValue);

        var counts = new SgdStepConstraintCounts(macs, nonlinear, updates, inputChecks, commitments);
        return new SgdStepCircuit<T>(b.Build(), w1After, w2After, counts);
    }

    private static T NativeOrZero(bool strict, Func<T> compute)
    {
        if (strict) return compute();
        try { return compute(); }
        catch (FixedPointOverflowException) { return T.Zero; }
    }

    private static void Check(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
