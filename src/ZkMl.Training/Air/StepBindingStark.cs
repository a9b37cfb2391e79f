using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Air;

/// <summary>
/// Binds a training-step STARK (<see cref="TrainingStepStark"/>) to public, cheap, hiding commitments: a data-set root and
/// two weight commitments.
/// <list type="bullet">
/// <item>Data set: the root of a <see cref="GoldilocksMerkleTree"/> whose leaf i is <see cref="RowLeaf"/>, a
/// <see cref="GoldilocksPoseidon.HashSalted"/> of row i's inputs and one-hot targets with 8 secret random salt elements.</item>
/// <item>Weights: <see cref="WeightsCommitment"/>, the salted Poseidon-Goldilocks hash of all parameters (W1 then W2 for two layers) (32 bytes; computing
/// it takes about a millisecond, so every state of a long run can be committed).</item>
/// </list>
/// A step proof (<see cref="Prove"/>) is ONE STARK over the training-step AIR and the binding AIR (<see cref="CompositeAir"/>):
/// the weights-before, batch and weights-after columns are committed once and checked by both AIRs at the same query
/// positions, drawn from one transcript over both. The binding part shows that each batch sample with its secret salt is
/// the leaf at its public row position on a path to the data-set root, and that the weight columns hash with their salts to
/// the public weight commitments; the contract digest and step index are public inputs. Row contents, salts, paths and
/// weights stay private (zero knowledge).
/// </summary>
public static class StepBindingStark
{
    /// <summary>Salt elements of a data-set row or a weight commitment.</summary>
    public const int SaltSize = GoldilocksPoseidon.Rate;

    /// <summary>One row's committed values: its inputs, then the one-hot targets times 2^f (as the training AIR sees them).</summary>
    public static Goldilocks[] RowValues(QuantizedNetworkConfig config, ReadOnlySpan<long> inputs, int label)
    {
        ArgumentNullException.ThrowIfNull(config);
        int inputSize = config.Network.InputSize, outputSize = config.Network.OutputSize;
        if (inputs.Length != inputSize) throw new ArgumentException($"A row has {inputSize} inputs, got {inputs.Length}.", nameof(inputs));
        if ((uint)label >= (uint)outputSize) throw new ArgumentOutOfRangeException(nameof(label), label, $"Labels are in [0, {outputSize}).");
        var values = new Goldilocks[inputSize + outputSize];
        for (int i = 0; i < inputs.Length; i++) values[i] = Goldilocks.FromInt64(inputs[i]);
        for (int o = 0; o < outputSize; o++) values[inputSize + o] = Goldilocks.FromInt64(FixedPoint.Target(o, label, config.FractionBits));
        return values;
    }

    /// <summary>The data-set leaf of one row with its secret salt (<see cref="SaltSize"/> elements).</summary>
    public static Goldilocks[] RowLeaf(QuantizedNetworkConfig config, ReadOnlySpan<long> inputs, int label, ReadOnlySpan<Goldilocks> salt) =>
        GoldilocksPoseidon.HashSalted(salt, RowValues(config, inputs, label), StepBindingAir.RowDomain);

    /// <summary>The commitment to the parameters (<see cref="QuantizedNetwork.Parameters"/> order; W1 then W2 row-major for two layers without biases) with a secret salt (<see cref="SaltSize"/> elements): a 4-element digest.</summary>
    public static Goldilocks[] WeightsCommitment(QuantizedNetworkConfig config, ReadOnlySpan<long> parameters, ReadOnlySpan<Goldilocks> salt)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (parameters.Length != config.Network.ParameterCount) throw new ArgumentException($"Network {config.Network} has {config.Network.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        var values = new Goldilocks[parameters.Length];
        for (int i = 0; i < parameters.Length; i++) values[i] = Goldilocks.FromInt64(parameters[i]);
        return GoldilocksPoseidon.HashSalted(salt, values, StepBindingAir.WeightsDomain);
    }

    /// <summary>True when the binding layout fits the training step's trace for a data set of <paramref name="datasetRows"/> rows.</summary>
    public static bool Supports(QuantizedNetworkConfig config, int datasetRows) =>
        datasetRows >= 1 && StepBindingAir.RowsNeeded(config, datasetRows) <= TrainingProgram.TraceLengthFor(TrainingStepAir.CheckSupported(config));

    /// <summary>Identifier of the joint AIR (training step + binding), bumped with its proof format.</summary>
    internal const string JointIdentifier = "ZkMl.Training.BoundStep/v1";

    /// <summary>
    /// The joint AIR of one step under <paramref name="statement"/>: the training-step AIR and the binding AIR as one
    /// <see cref="CompositeAir"/> sharing the weights-before, batch and weights-after columns, with the contract digest
    /// (8 limbs) and the step index as public inputs of both.
    /// </summary>
    /// <exception cref="ArgumentException">The statement is malformed (digest sizes, rows outside the data set, batch size).</exception>
    /// <exception cref="NotSupportedException">The configuration or the data-set size does not fit the AIRs.</exception>
    internal static CompositeAir AirFor(QuantizedNetworkConfig config, StepStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var stepAir = TrainingStepStark.AirFor(config);
        if (!GoldilocksPoseidon.TryReadDigest(statement.DatasetRoot.AsSpan(), out var root)) throw new ArgumentException("The data-set root is not a 32-byte digest.");
        if (!GoldilocksPoseidon.TryReadDigest(statement.CommitmentBefore.AsSpan(), out var before) || !GoldilocksPoseidon.TryReadDigest(statement.CommitmentAfter.AsSpan(), out var after))
            throw new ArgumentException("A weight commitment is not a 32-byte digest.");
        var digest = ContractDigest.ToGoldilocks(statement.ContractDigest.AsSpan());
        var binding = new StepBindingAir(config, digest, statement.Step, statement.DatasetRows, statement.Rows.AsSpan(), root, before, after, stepAir.TraceLength);
        return new CompositeAir(JointIdentifier, stepAir, binding, SharedSegments, [.. digest, Goldilocks.FromUInt64((ulong)statement.Step)]);
    }

    /// <summary>Segments the two AIRs share: weights before, batch, weights after.</summary>
    internal const int SharedSegments = 3;

    /// <summary>
    /// Proves one SGD step bound to <paramref name="statement"/> as one STARK (one transcript, one query phase) over the
    /// training-step AIR and the binding AIR: from the parameters <paramref name="networkParameters"/>, committed
    /// as <see cref="StepStatement.CommitmentBefore"/> with <paramref name="saltBefore"/>, on the data-set rows at
    /// <see cref="StepStatement.Rows"/> of <paramref name="tree"/> (their values <paramref name="inputs"/>, <paramref name="labels"/>,
    /// their salts by row index from <paramref name="rowSalt"/>), to the updated weights committed as
    /// <see cref="StepStatement.CommitmentAfter"/> with <paramref name="saltAfter"/>.
    /// </summary>
    /// <exception cref="AirConstraintViolationException">The witness does not match the statement (rows, salts, commitments, tree).</exception>
    public static TrainingStepProof Prove(QuantizedNetworkConfig config, StepStatement statement, GoldilocksMerkleTree tree, Func<int, Goldilocks[]> rowSalt,
        ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<long> networkParameters,
        Goldilocks[] saltBefore, Goldilocks[] saltAfter, StarkParameters? parameters = null, INtt<Goldilocks>? ntt = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(rowSalt);
        parameters ??= StarkParameters.Secure100;
        if (!parameters.ZeroKnowledge) throw new ArgumentException("Step proofs keep weights and batch private: use zero-knowledge parameters.", nameof(parameters));
        var air = AirFor(config, statement);
        var (trace, parametersAfter) = BuildTrace(air, tree, rowSalt, inputs, labels, networkParameters, saltBefore, saltAfter);
        var proof = StarkProver.Prove(air, trace, parameters, ntt);
        var roots = new TrainingStepCommitments(proof.SegmentRoot(0).ToArray(), proof.SegmentRoot(1).ToArray(), proof.SegmentRoot(2).ToArray());
        return new TrainingStepProof(proof.ToBytes(), parametersAfter, roots, proof.ToString());
    }

    /// <summary>The joint trace: the training step's, then the binding's own columns over the same three shared columns.</summary>
    internal static (Goldilocks[][] Trace, long[] ParametersAfter) BuildTrace(CompositeAir air, GoldilocksMerkleTree tree,
        Func<int, Goldilocks[]> rowSalt, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<long> parameters,
        Goldilocks[] saltBefore, Goldilocks[] saltAfter)
    {
        var witness = TrainingTraceBuilder.Build((TrainingStepAir)air.First, parameters, inputs, labels);
        var t = witness.Trace;
        var binding = ((StepBindingAir)air.Second).BuildTrace(t[0], t[1], t[2], rowSalt, tree, saltBefore, saltAfter);
        return (air.CombineTraces(t, binding), witness.ParametersAfter);
    }

    /// <summary>
    /// Verifies a step proof against <paramref name="statement"/>, which the verifier derives from the contract and the
    /// commitment chain (nothing is taken from the proof). Returns false (never throws) for any invalid proof or statement.
    /// </summary>
    public static bool Verify(QuantizedNetworkConfig config, StepStatement statement, ReadOnlySpan<byte> proof, StarkParameters? parameters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(statement);
        CompositeAir air;
        try
        {
            config.Validate();
            air = AirFor(config, statement);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            failure = e.Message;
            return false;
        }
        return StarkVerifier.Verify(air, proof, parameters ?? StarkParameters.Secure100, out failure);
    }
}
