using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Training.Air;

/// <summary>
/// Binds a training-step STARK (<see cref="TrainingStepStark"/>) to public, cheap, hiding commitments: a data-set root and
/// two weight commitments.
/// <list type="bullet">
/// <item>Data set: the root of a <see cref="GoldilocksMerkleTree"/> whose leaf i is <see cref="RowLeaf"/>, a
/// <see cref="GoldilocksPoseidon.HashSalted"/> of row i's inputs and one-hot targets with 8 secret random salt elements.</item>
/// <item>Weights: <see cref="WeightsCommitment"/>, the salted Poseidon-Goldilocks hash of W1 then W2 (32 bytes; computing
/// it takes about a millisecond, so every state of a long run can be committed).</item>
/// </list>
/// A binding proof is a second STARK whose weights-before, batch and weights-after columns are committed with the same seeds
/// as the step proof's, so their Merkle roots (<see cref="TrainingStepCommitments"/>) are equal and the two proofs speak about
/// the same columns. It shows that each batch sample with some salt is a leaf on a path to the data-set root, and that the
/// weight columns hash with their salts to the public weight commitments. Rows, positions, salts, paths and weights stay
/// private (zero knowledge).
/// </summary>
public static class StepBindingStark
{
    /// <summary>Salt elements of a data-set row or a weight commitment.</summary>
    public const int SaltSize = GoldilocksPoseidon.Rate;

    /// <summary>One row's committed values: its inputs, then the one-hot targets times 2^f (as the training AIR sees them).</summary>
    public static Goldilocks[] RowValues(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, int label)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (inputs.Length != config.InputSize) throw new ArgumentException($"A row has {config.InputSize} inputs, got {inputs.Length}.", nameof(inputs));
        if ((uint)label >= (uint)config.OutputSize) throw new ArgumentOutOfRangeException(nameof(label), label, $"Labels are in [0, {config.OutputSize}).");
        var values = new Goldilocks[config.InputSize + config.OutputSize];
        for (int i = 0; i < inputs.Length; i++) values[i] = Goldilocks.FromInt64(inputs[i]);
        for (int o = 0; o < config.OutputSize; o++) values[config.InputSize + o] = Goldilocks.FromInt64(FixedPoint.Target(o, label, config.FractionBits));
        return values;
    }

    /// <summary>The data-set leaf of one row with its secret salt (<see cref="SaltSize"/> elements).</summary>
    public static Goldilocks[] RowLeaf(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, int label, ReadOnlySpan<Goldilocks> salt) =>
        GoldilocksPoseidon.HashSalted(salt, RowValues(config, inputs, label), StepBindingAir.RowDomain);

    /// <summary>The commitment to weights W1 then W2 (row-major) with a secret salt (<see cref="SaltSize"/> elements): a 4-element digest.</summary>
    public static Goldilocks[] WeightsCommitment(QuantizedMlpConfig config, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2, ReadOnlySpan<Goldilocks> salt)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (weights1.Length != config.Weights1Count || weights2.Length != config.Weights2Count) throw new ArgumentException("Weight arrays do not match the configuration.");
        var values = new Goldilocks[weights1.Length + weights2.Length];
        for (int i = 0; i < weights1.Length; i++) values[i] = Goldilocks.FromInt64(weights1[i]);
        for (int i = 0; i < weights2.Length; i++) values[weights1.Length + i] = Goldilocks.FromInt64(weights2[i]);
        return GoldilocksPoseidon.HashSalted(salt, values, StepBindingAir.WeightsDomain);
    }

    /// <summary>True when the binding layout fits the training step's trace for a data set of <paramref name="datasetRows"/> rows.</summary>
    public static bool Supports(QuantizedMlpConfig config, int datasetRows) =>
        datasetRows >= 1 && StepBindingAir.RowsNeeded(config, datasetRows) <= TrainingProgram.TraceLengthFor(TrainingStepAir.CheckSupported(config));

    /// <summary>
    /// Proves the binding of a step proof made with <paramref name="seeds"/> from weights (<paramref name="weights1"/>,
    /// <paramref name="weights2"/>) to (<paramref name="weights1After"/>, <paramref name="weights2After"/>) on data-set rows
    /// <paramref name="rows"/> of <paramref name="tree"/> (their values <paramref name="inputs"/>, <paramref name="labels"/>).
    /// </summary>
    /// <exception cref="AirConstraintViolationException">A sample is not the committed row (wrong values, salt or index).</exception>
    public static StarkProof Prove(QuantizedMlpConfig config, GoldilocksMerkleTree tree, ReadOnlySpan<int> rows, Func<int, Goldilocks[]> rowSalt,
        ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels,
        ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2, Goldilocks[] saltBefore,
        ReadOnlySpan<long> weights1After, ReadOnlySpan<long> weights2After, Goldilocks[] saltAfter,
        TrainingStepSeeds seeds, StarkParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(rowSalt);
        ArgumentNullException.ThrowIfNull(seeds);
        var before = WeightsCommitment(config, weights1, weights2, saltBefore);
        var after = WeightsCommitment(config, weights1After, weights2After, saltAfter);
        int n = TrainingProgram.TraceLengthFor(TrainingStepAir.CheckSupported(config));
        var air = new StepBindingAir(config, tree.LeafCount, tree.Root, before, after, n);
        var trace = air.BuildTrace(TrainingColumns.Weights(config, n, weights1, weights2), TrainingColumns.Batch(config, n, inputs, labels),
            TrainingColumns.Weights(config, n, weights1After, weights2After), rows, rowSalt, tree, saltBefore, saltAfter);
        return StarkProver.Prove(air, trace, parameters ?? StarkParameters.Secure100, [seeds.WeightsBefore, seeds.Batch, seeds.WeightsAfter, null]);
    }

    /// <summary>
    /// Verifies a binding proof: its three committed columns are those of a step proof with <paramref name="stepCommitments"/>,
    /// the batch is made of rows of the data set with root <paramref name="datasetRoot"/> (32 bytes, <paramref name="datasetRows"/>
    /// rows) and the weights open to <paramref name="weightsBefore"/> and <paramref name="weightsAfter"/> (32 bytes each).
    /// Returns false (never throws) for any invalid proof.
    /// </summary>
    public static bool Verify(QuantizedMlpConfig config, int datasetRows, ReadOnlySpan<byte> datasetRoot, ReadOnlySpan<byte> weightsBefore,
        ReadOnlySpan<byte> weightsAfter, TrainingStepCommitments stepCommitments, ReadOnlySpan<byte> proof, StarkParameters? parameters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(stepCommitments);
        if (!GoldilocksPoseidon.TryReadDigest(datasetRoot, out var root)) { failure = "The data-set root is not a 32-byte digest."; return false; }
        if (!GoldilocksPoseidon.TryReadDigest(weightsBefore, out var before) || !GoldilocksPoseidon.TryReadDigest(weightsAfter, out var after))
        { failure = "A weight commitment is not a 32-byte digest."; return false; }
        StepBindingAir air;
        StarkProof parsed;
        try
        {
            config.Validate();
            air = new StepBindingAir(config, datasetRows, root, before, after, TrainingProgram.TraceLengthFor(TrainingStepAir.CheckSupported(config)));
            parsed = StarkProof.FromBytes(proof);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or StarkProofFormatException)
        {
            failure = e.Message;
            return false;
        }
        if (parsed.SegmentCount != 4) { failure = "Not a step-binding proof (wrong number of commitments)."; return false; }
        if (!parsed.SegmentRoot(0).Span.SequenceEqual(stepCommitments.WeightsBefore) || !parsed.SegmentRoot(1).Span.SequenceEqual(stepCommitments.Batch)
            || !parsed.SegmentRoot(2).Span.SequenceEqual(stepCommitments.WeightsAfter))
        { failure = "The binding proof is not for the step proof's committed columns."; return false; }
        return StarkVerifier.Verify(air, parsed, parameters ?? StarkParameters.Secure100, out failure);
    }
}
