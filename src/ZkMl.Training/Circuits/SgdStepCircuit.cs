using ZkMl.Circuits.Gadgets;
using ZkMl.Common;
using ZkMl.Hashing;
using System.Numerics;
using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// The R1CS of one quantized SGD step of a dense network of any depth with optional biases (docs/fixed-point.md),
/// bit-exact with <see cref="QuantizedNetwork.TrainStep"/> (for two layers without biases, with
/// <see cref="QuantizedMlp.TrainStep"/>). Public inputs, in order: the commitment to the parameters before the step, the
/// commitment to the parameters after it, the commitment to the batch (see <see cref="TrainingCommitments"/>), then the
/// statement binding: the contract digest's high and low halves and the step index, so a proof cannot move to another
/// run or position. That the batch rows belong to the committed data set is <see cref="BatchMembershipCircuit"/>'s
/// job, linked by the batch commitment.
/// Private: parameters, batch, salts, every intermediate.
/// </summary>
/// <typeparam name="T">The field (the BN254 scalar field: commitments use circomlib's Poseidon).</typeparam>
public sealed class SgdStepCircuit<T> where T : struct, IPrimeField<T>
{
    private SgdStepCircuit(BuiltCircuit<T> built, long[] parameters, SgdStepConstraintCounts counts)
    {
        Circuit = built;
        UpdatedParameters = parameters;
        Counts = counts;
    }

    /// <summary>The constraint system and witness.</summary>
    public BuiltCircuit<T> Circuit { get; }

    /// <summary>The parameters after the step (<see cref="QuantizedNetwork.Parameters"/> order), read back from the witness.</summary>
    public long[] UpdatedParameters { get; }

    /// <summary>Constraint counts by part.</summary>
    public SgdStepConstraintCounts Counts { get; }

    /// <summary>Commitment to the parameters before the step (public input 0).</summary>
    public T WeightsBeforeCommitment => Circuit.PublicValues[0];

    /// <summary>Commitment to the parameters after the step (public input 1).</summary>
    public T WeightsAfterCommitment => Circuit.PublicValues[1];

    /// <summary>Commitment to the batch (public input 2).</summary>
    public T BatchCommitment => Circuit.PublicValues[2];

    /// <summary>Number of public inputs: c_W, c_W', c_B, digest hi, digest lo, step.</summary>
    public const int PublicInputCount = 6;

    /// <summary>
    /// The number of constraints of the step for <paramref name="config"/>, computed without building it (the Poseidon
    /// parts are measured once per width on tiny circuits), to refuse shapes before allocating.
    /// </summary>
    public static long CountConstraints(QuantizedNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var net = config.Network;
        long batch = config.BatchSize, bits = config.ValueBits, f = config.FractionBits, shift = f + config.LearningRateShift;
        int inputBits = TrainingCommitments.InputBits(config.FractionBits);
        long total = batch * net.InputSize * (inputBits + 1); // input wires
        for (int l = 0; l < net.Layers.Count; l++)
        {
            long m = net.Layers[l].Width, n = net.FanIn(l), weights = net.WeightCount(l);
            bool last = l == net.Layers.Count - 1;
            // Forward products and rescale (hidden: with ReLU; last: as a wire, with the one-hot label), gradient products,
            // and for l > 0 the backward products and the masked rescale of d_{l-1}.
            total += batch * (weights + (last ? m * (bits + f + 3) + 1 : m * (bits + f + 4)) + weights + (l > 0 ? weights + n * (bits + f + 3) : 0));
        }
        total += net.ParameterCount * (3 * bits + shift + 3); // parameter wires, update rescales, range checks of the results
        long packedParameters = CeilDiv(net.ParameterCount, FixedPointGadgets<T>.SlotsPerElement(config.ValueBits));
        long packedInputs = CeilDiv(net.InputSize, FixedPointGadgets<T>.SlotsPerElement(inputBits));
        total += 2 * CommitmentCost(packedParameters) + batch * HashCost((int)packedInputs + 1) + CommitmentCost(batch);
        return total + 3 + 3; // the statement inputs' products; the bindings of the three commitments to their public inputs
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Kind, int Width), long> s_poseidonCosts = new();

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    // Constraints of PoseidonGadget.Hash over `width` wires.
    private static long HashCost(int width) => s_poseidonCosts.GetOrAdd((0, width), key =>
    {
        var b = new R1csBuilder<T>(strict: false);
        PoseidonGadget.Hash(b, Enumerable.Range(0, key.Width).Select(_ => b.PrivateInput(T.Zero)).ToArray());
        return b.ConstraintCount;
    });

    // Constraints of PoseidonCommitmentGadget.Commit over `count` wires: the last chunk's padding is constant, so its
    // cost depends on the remainder; every full chunk before it costs the same.
    private static long CommitmentCost(long count)
    {
        int chunk = PoseidonCommitment.ChunkSize;
        int tail = (int)((count - 1) % chunk) + 1;
        long Measure(int elements) => s_poseidonCosts.GetOrAdd((1, elements), key =>
        {
            var b = new R1csBuilder<T>(strict: false);
            PoseidonCommitmentGadget.Commit(b, Enumerable.Range(0, key.Width).Select(_ => b.PrivateInput(T.Zero)).ToArray(), b.PrivateInput(T.Zero));
            return b.ConstraintCount;
        });
        if (count <= chunk) return Measure((int)count);
        return Measure(tail) + (count - tail) / chunk * (Measure(tail + chunk) - Measure(tail));
    }

    /// <summary>
    /// The circuit's shape alone (for key generation): built on zero parameters and inputs, whose constraint system is
    /// the same for every witness of this configuration. Built leniently: on zero weights the output error is -2^f, and a
    /// configuration with few value bits can have a bias update of that step that does not fit them, which is no reason to
    /// refuse the shape.
    /// </summary>
    /// <param name="config">The network and step configuration.</param>
    public static R1cs<T> BuildShape(QuantizedNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var zero = new SgdStepInputs<T>(new long[config.Network.ParameterCount],
            new long[config.BatchSize * config.Network.InputSize], new int[config.BatchSize], T.Zero, T.Zero, T.Zero);
        return Build(config, zero, strict: false).Circuit.System;
    }

    /// <summary>The two-layer form of <see cref="BuildShape(QuantizedNetworkConfig)"/>.</summary>
    public static R1cs<T> BuildShape(QuantizedMlpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return BuildShape(QuantizedNetworkConfig.FromMlp(config));
    }

    /// <summary>The two-layer form of <see cref="Build(QuantizedNetworkConfig, SgdStepInputs{T}, bool)"/>.</summary>
    public static SgdStepCircuit<T> Build(QuantizedMlpConfig config, SgdStepInputs<T> inputs, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return Build(QuantizedNetworkConfig.FromMlp(config), inputs, strict);
    }

    /// <summary>
    /// Builds the circuit and its witness for one step. In strict mode (default) values the reference would reject
    /// throw (<see cref="FixedPointOverflowException"/>, <see cref="ArgumentOutOfRangeException"/>); with strict: false
    /// they are kept and the returned witness fails the constraints. The constraints come in the order of the two-layer
    /// circuit (parameters, inputs, per sample forward then backward, updates, commitments), so for two layers without
    /// biases the system is exactly that circuit's.
    /// </summary>
    public static SgdStepCircuit<T> Build(QuantizedNetworkConfig config, SgdStepInputs<T> inputs, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        config.Validate();
        var net = config.Network;
        int layers = net.Layers.Count, n0 = net.InputSize, outputs = net.OutputSize, batch = config.BatchSize;
        int f = config.FractionBits, bits = config.ValueBits, shift = f + config.LearningRateShift;
        int inputBits = TrainingCommitments.InputBits(f);
        Check(inputs.Parameters.LongLength == net.ParameterCount, $"network {net} has {net.ParameterCount} parameters, got {inputs.Parameters.Length}");
        Check(inputs.Inputs.Length == batch * n0, "inputs have the wrong length");
        Check(inputs.Labels.Length == batch, "labels have the wrong length");
        int maxWidth = n0;
        for (int l = 0; l < layers; l++) maxWidth = Math.Max(maxWidth, net.Layers[l].Width);
        // Largest intermediate: eta * sum over the batch of (B-bit) * (B-bit), plus the rescale relations' 2^(B+k).
        int magnitude = Math.Max(2 * bits + BitMath.CeilingLog2(batch) + BitMath.CeilingLog2(maxWidth + 1) + BitMath.CeilingLog2(config.LearningRateNumerator) + 2, bits + shift + 2);
        FixedPointGadgets<T>.RequireFieldBits(magnitude);

        // Offsets of each layer's weights and biases in the flat parameter array.
        var weightOffset = new int[layers];
        var biasOffset = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            weightOffset[l] = offset;
            offset += (int)net.WeightCount(l);
            biasOffset[l] = net.Layers[l].HasBias ? offset : -1;
            if (net.Layers[l].HasBias) offset += net.Layers[l].Width;
        }

        var b = new R1csBuilder<T>(strict);
        var g = new FixedPointGadgets<T>(b, bits);
        // Public inputs first (values computed natively; the gadgets below are bound to them at the end).
        // (With strict: false, values that cannot be committed natively leave 0 there, which the circuit then rejects.)
        var commitBefore = b.PublicInput(NativeOrZero(strict, () => TrainingCommitments.Parameters(bits, inputs.Parameters, inputs.SaltBefore)));
        var after = new long[inputs.Parameters.Length];
        var afterValue = b.PublicInput(T.Zero); // placeholder value, fixed below once the updated parameters are known
        var commitBatch = b.PublicInput(NativeOrZero(strict, () => TrainingCommitments.Batch(f, n0, inputs.Inputs, inputs.Labels, inputs.BatchSalt)));
        var digestHi = b.PublicInput(inputs.DigestHi);
        var digestLo = b.PublicInput(inputs.DigestLo);
        var step = b.PublicInput(inputs.Step);
        var saltBefore = b.PrivateInput(inputs.SaltBefore);
        var saltAfter = b.PrivateInput(inputs.SaltAfter);
        var batchSalt = b.PrivateInput(inputs.BatchSalt);

        int c0 = b.ConstraintCount;
        var parameters = new SignedWire<T>[inputs.Parameters.Length];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = g.NewSignedWire(inputs.Parameters[i], bits, DescribeParameter(i, weightOffset, biasOffset));
        int weightChecks = b.ConstraintCount - c0;

        c0 = b.ConstraintCount;
        var xs = new SignedWire<T>[batch][];
        for (int s = 0; s < batch; s++)
        {
            xs[s] = new SignedWire<T>[n0];
            for (int k = 0; k < n0; k++) xs[s][k] = g.NewSignedWire(inputs.Inputs[s * n0 + k], inputBits, $"input {k} of sample {s}");
        }
        int inputChecks = b.ConstraintCount - c0;

        int macs = 0, nonlinear = 0;
        var values = parameters.Select(p => p.Value).ToArray();
        LinearCombination<T>[] WeightsOf(int l) => values[weightOffset[l]..(weightOffset[l] + (int)net.WeightCount(l))];
        var weights = Enumerable.Range(0, layers).Select(WeightsOf).ToArray();
        // Per parameter, its per-sample gradient terms (weights: products d h; biases: the free d itself).
        var grads = new List<LinearCombination<T>>[parameters.Length];
        for (int i = 0; i < grads.Length; i++) grads[i] = new(batch);
        var labels = new LinearCombination<T>[batch];
        var twoF = T.FromUInt64(1UL << f);
        for (int s = 0; s < batch; s++)
        {
            // Forward: h[0] = x; z_l = Rescale_f(W_l h_{l-1} + 2^f b_l); h_l = ReLU(z_l) for l < L.
            var h = new LinearCombination<T>[layers][];
            var positive = new LinearCombination<T>[layers][];
            h[0] = xs[s].Select(v => v.Value).ToArray();
            LinearCombination<T>[] e = [];
            for (int l = 0; l < layers; l++)
            {
                int m = net.Layers[l].Width, n = net.FanIn(l);
                c0 = b.ConstraintCount;
                var a = g.Dense(weights[l], m, n, h[l]);
                macs += b.ConstraintCount - c0;
                if (biasOffset[l] >= 0)
                    for (int i = 0; i < m; i++) a[i] += values[biasOffset[l] + i] * twoF;
                c0 = b.ConstraintCount;
                if (l + 1 < layers)
                {
                    var z = a.Select((v, j) => g.Rescale(v, f, $"z{l + 1}[{j}] of sample {s}")).ToArray();
                    var relu = z.Select(g.Relu).ToArray();
                    h[l + 1] = relu.Select(r => r.Output).ToArray();
                    positive[l + 1] = relu.Select(r => r.Positive).ToArray();
                }
                else
                {
                    var zOut = a.Select((v, i) => g.Rescale(v, f, $"z{l + 1}[{i}] of sample {s}", asWire: true).Value).ToArray();
                    var (onehot, label) = g.OneHot(inputs.Labels[s], outputs);
                    labels[s] = label;
                    var targets = onehot.Select(o => o * twoF).ToArray();
                    e = g.MseGradient(zOut, targets);
                }
                nonlinear += b.ConstraintCount - c0;
            }
            // Backward with the pre-update weights: d_L = e; g = W_l^T d_l; d_{l-1} = Rescale_f(mask * g) (Rescale_f(0) = 0
            // matches the reference's "0 when z <= 0" without range-checking values it never computes).
            var d = e;
            for (int l = layers - 1; l >= 0; l--)
            {
                int m = net.Layers[l].Width, n = net.FanIn(l);
                c0 = b.ConstraintCount;
                LinearCombination<T>[] gsum = [];
                if (l > 0)
                {
                    gsum = new LinearCombination<T>[n];
                    for (int j = 0; j < n; j++)
                    {
                        var col = new LinearCombination<T>[m];
                        for (int i = 0; i < m; i++) col[i] = weights[l][i * n + j];
                        gsum[j] = g.Dot(col, d);
                    }
                }
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) grads[weightOffset[l] + i * n + j].Add(b.Mul(d[i], h[l][j]));
                macs += b.ConstraintCount - c0;
                if (biasOffset[l] >= 0)
                    for (int i = 0; i < m; i++) grads[biasOffset[l] + i].Add(d[i] * twoF);
                if (l == 0) break;
                c0 = b.ConstraintCount;
                var dPrev = new LinearCombination<T>[n];
                for (int j = 0; j < n; j++) dPrev[j] = g.Rescale(b.Mul(positive[l][j], gsum[j]), f, $"d{l}[{j}] of sample {s}", asWire: true).Value;
                nonlinear += b.ConstraintCount - c0;
                d = dPrev;
            }
        }

        // Updates: p' = p - Rescale_{f+s}(eta * G), the bias gradient lifted to scale 2^2f (so Rescale_s(eta * Gb) exactly).
        c0 = b.ConstraintCount;
        var eta = T.FromUInt64((ulong)config.LearningRateNumerator);
        var updated = new SignedWire<T>[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            string name = DescribeParameter(i, weightOffset, biasOffset);
            var delta = g.Rescale(LinearCombination<T>.Sum(grads[i]) * eta, shift, $"update of {name}");
            updated[i] = g.RangeCheckSigned(parameters[i].Value - delta.Value, bits, $"{name} after the update");
            after[i] = (long)g.IntegerValue(updated[i].Value);
        }
        int updates = b.ConstraintCount - c0 + weightChecks;

        c0 = b.ConstraintCount;
        b.AssertEqual(PoseidonCommitmentGadget.Commit(b, FixedPointGadgets<T>.PackSigned(parameters), saltBefore), commitBefore);
        var afterCommitment = PoseidonCommitmentGadget.Commit(b, FixedPointGadgets<T>.PackSigned(updated), saltAfter);
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
        return new SgdStepCircuit<T>(b.Build(), after, counts);
    }

    // "W2[17]" or "b1[3]": the reference's names (QuantizedNetwork), flat index within the layer.
    private static string DescribeParameter(int index, int[] weightOffset, int[] biasOffset)
    {
        for (int l = weightOffset.Length - 1; l >= 0; l--)
        {
            if (biasOffset[l] >= 0 && index >= biasOffset[l]) return $"b{l + 1}[{index - biasOffset[l]}]";
            if (index >= weightOffset[l]) return $"W{l + 1}[{index - weightOffset[l]}]";
        }
        return $"parameter {index}";
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
