using ZkMl.Circuits.Hashing;
using ZkMl.Circuits.Quantized;
using ZkMl.Field;

namespace ZkMl.Stark.Training;

/// <summary>
/// Proves that a training step's batch consists of rows of a committed data set, for the STARK backend.
/// <para>The data set's commitment is the root of a <see cref="GoldilocksMerkleTree"/> whose leaf i is
/// <see cref="GoldilocksPoseidon.HashSalted"/>(salt_i, inputs_i then one-hot targets_i) (<see cref="Leaf"/>), with 8 secret
/// random salt elements per row. A membership proof is a STARK whose first committed segment is the batch column laid out
/// and seeded exactly as in <see cref="TrainingStepStark.Prove"/>, so its root equals the step proof's
/// <see cref="TrainingStepCommitments.Batch"/>: the two proofs are linked by that root, and the membership proof shows
/// every sample of that column hashes, with some salt, to a leaf on a Merkle path to the public data-set root. Rows,
/// positions, salts and paths stay private (zero knowledge).</para>
/// </summary>
public static class BatchMembershipStark
{
    /// <summary>Salt elements per data-set row.</summary>
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
    public static Goldilocks[] Leaf(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, int label, ReadOnlySpan<Goldilocks> salt) =>
        GoldilocksPoseidon.HashSalted(salt, RowValues(config, inputs, label));

    /// <summary>
    /// Proves that the batch (<paramref name="inputs"/>, <paramref name="labels"/>) is data-set rows <paramref name="rows"/> of
    /// <paramref name="tree"/>. <paramref name="batchSeed"/> must be the seed the step proof used for its batch segment.
    /// </summary>
    /// <exception cref="AirConstraintViolationException">A sample is not the committed row (wrong values, salt or index).</exception>
    public static StarkProof Prove(QuantizedMlpConfig config, GoldilocksMerkleTree tree, ReadOnlySpan<int> rows, Func<int, Goldilocks[]> salt,
        ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, byte[] batchSeed, StarkParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(batchSeed);
        var air = new BatchMembershipAir(config, tree.LeafCount, tree.Root, TrainingProgram.TraceLengthFor(config));
        var trace = air.BuildTrace(BatchColumn(config, air.TraceLength, inputs, labels), rows, salt, tree);
        return StarkProver.Prove(air, trace, parameters ?? StarkParameters.Secure100, [batchSeed, null]);
    }

    /// <summary>
    /// Verifies a membership proof for the batch committed in <paramref name="batchCommitment"/> (a step proof's
    /// <see cref="TrainingStepCommitments.Batch"/>) against the data-set root. Returns false (never throws) for any invalid proof.
    /// </summary>
    public static bool Verify(QuantizedMlpConfig config, int datasetRows, ReadOnlySpan<byte> datasetRoot, ReadOnlySpan<byte> batchCommitment,
        ReadOnlySpan<byte> proof, StarkParameters? parameters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!GoldilocksPoseidon.TryReadDigest(datasetRoot, out var root)) { failure = "The data-set root is not a 32-byte digest."; return false; }
        BatchMembershipAir air;
        StarkProof parsed;
        try
        {
            config.Validate();
            air = new BatchMembershipAir(config, datasetRows, root, TrainingProgram.TraceLengthFor(config));
            parsed = StarkProof.FromBytes(proof);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or StarkProofFormatException)
        {
            failure = e.Message;
            return false;
        }
        if (parsed.MainRoots.Length != 2) { failure = "Not a batch-membership proof (wrong number of commitments)."; return false; }
        if (!parsed.MainRoots[0].AsSpan().SequenceEqual(batchCommitment)) { failure = "The membership proof is not for the committed batch."; return false; }
        return StarkVerifier.Verify(air, parsed, parameters ?? StarkParameters.Secure100, out failure);
    }

    /// <summary>The training AIR's batch segment: inputs (sample-major), then one-hot targets times 2^f, then zeros.</summary>
    internal static Goldilocks[] BatchColumn(QuantizedMlpConfig config, int traceLength, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        if (inputs.Length != config.BatchSize * config.InputSize) throw new ArgumentException($"The batch must have {config.BatchSize * config.InputSize} inputs, got {inputs.Length}.", nameof(inputs));
        if (labels.Length != config.BatchSize) throw new ArgumentException($"The batch must have {config.BatchSize} labels, got {labels.Length}.", nameof(labels));
        var column = new Goldilocks[traceLength];
        for (int i = 0; i < inputs.Length; i++) column[i] = Goldilocks.FromInt64(inputs[i]);
        for (int b = 0; b < labels.Length; b++)
        {
            if ((uint)labels[b] >= (uint)config.OutputSize) throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Label of sample {b} must be in [0, {config.OutputSize}).");
            for (int o = 0; o < config.OutputSize; o++)
                column[inputs.Length + b * config.OutputSize + o] = Goldilocks.FromInt64(FixedPoint.Target(o, labels[b], config.FractionBits));
        }
        return column;
    }
}
