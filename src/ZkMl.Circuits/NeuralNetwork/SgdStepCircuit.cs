using ZkMl.Circuits.Gadgets;
using ZkMl.Circuits.Quantized;
using ZkMl.Field;
using ZkMl.Common;
using ZkMl.Hashing;

namespace ZkMl.Circuits.NeuralNetwork;

/// <summary>The private inputs of one SGD step: weights before the step, the batch, and the commitments' salts.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Weights1">W1 [Hidden x Input], row-major.</param>
/// <param name="Weights2">W2 [Output x Hidden], row-major.</param>
/// <param name="Inputs">BatchSize rows of InputSize quantized inputs (as <see cref="QuantizedMlp"/> takes them).</param>
/// <param name="Labels">BatchSize labels.</param>
/// <param name="SaltBefore">Salt of the commitment to the weights before the step.</param>
/// <param name="SaltAfter">Salt of the commitment to the weights after the step.</param>
/// <param name="BatchSalt">Salt of the batch commitment.</param>
public sealed record SgdStepInputs<T>(long[] Weights1, long[] Weights2, long[] Inputs, int[] Labels, T SaltBefore, T SaltAfter, T BatchSalt)
    where T : struct, IPrimeField<T>
{
    /// <summary>
    /// When set, the batch is bound to a committed data set instead of by a batch commitment: public input 2 is the
    /// data set's Merkle root, and each batch row is proven a member (leaf <see cref="TrainingCommitments.SaltedSampleLeaf"/>).
    /// <see cref="BatchSalt"/> is then unused.
    /// </summary>
    public SgdStepDatasetMembership<T>? Dataset { get; init; }
}

/// <summary>Membership of each batch row in a data set committed as a <see cref="PoseidonMerkleTree{T}"/> of salted sample leaves.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Depth">The tree's depth (fixed per circuit shape).</param>
/// <param name="Root">The data set's Merkle root (the public input).</param>
/// <param name="RowSalts">Each batch row's leaf salt.</param>
/// <param name="Paths">Each batch row's membership path (its index is the row's position in the data set).</param>
public sealed record SgdStepDatasetMembership<T>(int Depth, T Root, T[] RowSalts, MerklePath<T>[] Paths) where T : struct, IPrimeField<T>;

/// <summary>Where an SGD-step circuit's constraints go.</summary>
/// <param name="MultiplyAccumulates">Products of the forward pass, backward pass and gradients (one constraint each).</param>
/// <param name="ForwardBackwardRescales">Rescales (with their range checks) of z1, z2 and dh, plus ReLU, masks and one-hot labels.</param>
/// <param name="WeightUpdates">Range checks of W, rescales of the updates and range checks of W'.</param>
/// <param name="InputRangeChecks">Range checks of the batch inputs.</param>
/// <param name="Commitments">Poseidon commitments to W, W' and the batch, and the public-input bindings.</param>
public sealed record SgdStepConstraintCounts(int MultiplyAccumulates, int ForwardBackwardRescales, int WeightUpdates, int InputRangeChecks, int Commitments)
{
    /// <summary>All constraints.</summary>
    public int Total => MultiplyAccumulates + ForwardBackwardRescales + WeightUpdates + InputRangeChecks + Commitments;
}

/// <summary>
/// The R1CS of one quantized SGD step of a Dense-ReLU-Dense network (docs/fixed-point.md), bit-exact with
/// <see cref="QuantizedMlp.TrainStep"/>. Public inputs, in order: the commitment to (W1, W2) before the step, the
/// commitment to (W1', W2') after it, and either the commitment to the batch (see <see cref="TrainingCommitments"/>)
/// or, with <see cref="SgdStepInputs{T}.Dataset"/>, the Merkle root of the data set every batch row is proven to belong to.
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

    /// <summary>Commitment to the batch, or the data set's Merkle root in the membership form (public input 2).</summary>
    public T BatchCommitment => Circuit.PublicValues[2];

    /// <summary>
    /// The circuit's shape alone (for key generation): built on zero weights and inputs, whose constraint system is
    /// the same for every witness of this configuration.
    /// </summary>
    /// <param name="config">The network and step configuration.</param>
    /// <param name="datasetDepth">Null for the batch-commitment form; the Merkle depth for the data-set membership form.</param>
    public static R1cs<T> BuildShape(QuantizedMlpConfig config, int? datasetDepth = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var zero = new SgdStepInputs<T>(new long[config.Weights1Count], new long[config.Weights2Count],
            new long[config.BatchSize * config.InputSize], new int[config.BatchSize], T.Zero, T.Zero, T.Zero);
        if (datasetDepth is int depth)
        {
            var leaf = TrainingCommitments.SaltedSampleLeaf<T>(config, new long[config.InputSize], 0, T.Zero);
            var tree = new PoseidonMerkleTree<T>(Enumerable.Repeat(leaf, 1 << depth).ToArray());
            zero = zero with
            {
                Dataset = new SgdStepDatasetMembership<T>(depth, tree.Root, new T[config.BatchSize],
                    Enumerable.Range(0, config.BatchSize).Select(_ => tree.Path(0)).ToArray()),
            };
        }
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
        var dataset = inputs.Dataset;
        if (dataset != null)
        {
            Check(dataset.RowSalts.Length == batch && dataset.Paths.Length == batch, "one salt and one path per batch row are needed");
            Check(dataset.Depth is >= 0 and <= 30 && dataset.Paths.All(p => p.Siblings.Count == dataset.Depth && p.Index >= 0 && p.Index < 1 << dataset.Depth),
                "every path must have Depth siblings and an index below 2^Depth");
        }
        var commitBatch = b.PublicInput(dataset != null ? dataset.Root
            : NativeOrZero(strict, () => TrainingCommitments.Batch(config, inputs.Inputs, inputs.Labels, inputs.BatchSalt)));
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
        if (dataset == null)
        {
            var leaves = new LinearCombination<T>[batch];
            for (int s = 0; s < batch; s++)
                leaves[s] = PoseidonGadget.Hash(b, [.. FixedPointGadgets<T>.PackSigned(xs[s]), labels[s]]);
            b.AssertEqual(PoseidonCommitmentGadget.Commit(b, leaves, batchSalt), commitBatch);
        }
        else
        {
            for (int s = 0; s < batch; s++)
            {
                var rowSalt = b.PrivateInput(dataset.RowSalts[s]);
                var leaf = PoseidonGadget.Hash(b, [.. FixedPointGadgets<T>.PackSigned(xs[s]), labels[s], rowSalt]);
                var path = dataset.Paths[s];
                var indexBits = Enumerable.Range(0, dataset.Depth).Select(d => b.Hint(T.FromUInt64((ulong)((path.Index >> d) & 1)))).ToArray();
                var siblings = path.Siblings.Select(b.Hint).ToArray();
                MerkleMembershipGadget.AssertMembership(b, commitBatch, leaf, indexBits, siblings);
            }
        }
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

/// <summary>
/// The commitments an SGD-step circuit exposes, computed natively (the circuit recomputes them in-circuit):
/// weights packed in B-bit offset slots, then <see cref="PoseidonCommitment"/> with a salt; each sample as the leaf
/// Poseidon(packed inputs..., label), the batch as <see cref="PoseidonCommitment"/> over its leaves with a salt.
/// </summary>
public static class TrainingCommitments
{
    /// <summary>The declared signed width of inputs: f + 2 bits, so [-2, 2) in real terms (pixels map to [0, 1]).</summary>
    public static int InputBits(QuantizedMlpConfig config) => config.FractionBits + 2;

    /// <summary>Commitment to (W1, W2) with <paramref name="salt"/>.</summary>
    public static T Weights<T>(QuantizedMlpConfig config, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2, T salt) where T : struct, IPrimeField<T>
    {
        var all = new long[weights1.Length + weights2.Length];
        weights1.CopyTo(all);
        weights2.CopyTo(all.AsSpan(weights1.Length));
        return PoseidonCommitment.Commit<T>(FixedPointGadgets<T>.PackSigned(all, config.ValueBits), salt);
    }

    /// <summary>The leaf of one sample: Poseidon(inputs packed in <see cref="InputBits"/>-bit slots..., label).</summary>
    public static T SampleLeaf<T>(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, int label) where T : struct, IPrimeField<T>
    {
        var packed = FixedPointGadgets<T>.PackSigned(inputs, InputBits(config));
        return Poseidon.Hash<T>([.. packed, T.FromUInt64((ulong)label)]);
    }

    /// <summary>
    /// The salted leaf of one data-set row, as the data-set membership form of the circuit hashes it:
    /// Poseidon(inputs packed in <see cref="InputBits"/>-bit slots..., label, salt). Build the data set's
    /// <see cref="PoseidonMerkleTree{T}"/> over these.
    /// </summary>
    public static T SaltedSampleLeaf<T>(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, int label, T salt) where T : struct, IPrimeField<T>
    {
        var packed = FixedPointGadgets<T>.PackSigned(inputs, InputBits(config));
        return Poseidon.Hash<T>([.. packed, T.FromUInt64((ulong)label), salt]);
    }

    /// <summary>Commitment to a batch (BatchSize rows of InputSize inputs, and labels) with <paramref name="salt"/>.</summary>
    public static T Batch<T>(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, T salt) where T : struct, IPrimeField<T>
    {
        var leaves = new T[labels.Length];
        for (int s = 0; s < labels.Length; s++)
            leaves[s] = SampleLeaf<T>(config, inputs.Slice(s * config.InputSize, config.InputSize), labels[s]);
        return PoseidonCommitment.Commit<T>(leaves, salt);
    }
}
