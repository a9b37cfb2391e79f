using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Training.Air;

/// <summary>Proves and verifies one quantized SGD step (dense layers with optional biases, ReLU, MSE gradient) with the training-step AIR.</summary>
public static class TrainingStepStark
{
    private static readonly object CacheLock = new();
    private static TrainingStepAir? s_lastAir;

    /// <summary>The AIR for <paramref name="config"/>; the last one is kept (building the program of a large network takes a while).</summary>
    internal static TrainingStepAir AirFor(QuantizedNetworkConfig config)
    {
        lock (CacheLock)
        {
            if (s_lastAir is { } cached && cached.Config == config) return cached;
        }
        var air = new TrainingStepAir(config);
        lock (CacheLock) s_lastAir = air;
        return air;
    }

    /// <summary>
    /// Proves the step from <paramref name="networkParameters"/> (<see cref="QuantizedNetwork.Parameters"/> order) on the batch
    /// (<paramref name="inputs"/>: BatchSize x InputSize quantized inputs; <paramref name="labels"/>).
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width (as the reference).</exception>
    /// <exception cref="NotSupportedException">A value exceeds the AIR's 24-bit operand range, or the configuration is unsupported.</exception>
    public static TrainingStepProof Prove(QuantizedNetworkConfig config, ReadOnlySpan<long> networkParameters,
        ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, TrainingStepSeeds seeds, StarkParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        parameters ??= StarkParameters.Secure100;
        if (!parameters.ZeroKnowledge) throw new ArgumentException("Training-step proofs keep weights and batch private: use zero-knowledge parameters.", nameof(parameters));
        var air = AirFor(config);
        var witness = TrainingTraceBuilder.Build(air, networkParameters, inputs, labels);
        var proof = StarkProver.Prove(air, witness.Trace, parameters, [seeds.WeightsBefore, seeds.Batch, seeds.WeightsAfter, null]);
        var commitments = new TrainingStepCommitments(proof.SegmentRoot(0).ToArray(), proof.SegmentRoot(1).ToArray(), proof.SegmentRoot(2).ToArray());
        return new TrainingStepProof(proof.ToBytes(), witness.ParametersAfter, commitments, proof.ToString());
    }

    /// <summary>
    /// The commitment to the parameters that a step proof with this seed and these parameters carries
    /// (as <see cref="TrainingStepCommitments.WeightsBefore"/> or <see cref="TrainingStepCommitments.WeightsAfter"/>), e.g. to publish the
    /// initial model's commitment before training.
    /// </summary>
    public static byte[] CommitWeights(QuantizedNetworkConfig config, ReadOnlySpan<long> networkParameters, byte[] seed, StarkParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var air = AirFor(config);
        var column = TrainingColumns.Weights(config, air.TraceLength, networkParameters);
        return StarkProver.SegmentRoot(air, parameters ?? StarkParameters.Secure100, [column], seed);
    }

    /// <summary>Verifies a step proof against the public commitments. Returns false (never throws) for any invalid proof.</summary>
    public static bool Verify(QuantizedNetworkConfig config, TrainingStepCommitments commitments, ReadOnlySpan<byte> proof, StarkParameters? parameters = null) =>
        Verify(config, commitments, proof, parameters, out _);

    /// <summary>As <see cref="Verify(QuantizedNetworkConfig, TrainingStepCommitments, ReadOnlySpan{byte}, StarkParameters?)"/>, with the rejection reason.</summary>
    public static bool Verify(QuantizedNetworkConfig config, TrainingStepCommitments commitments, ReadOnlySpan<byte> proof, StarkParameters? parameters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        StarkProof parsed;
        try { parsed = StarkProof.FromBytes(proof); }
        catch (Exception e) when (e is ArgumentException or StarkProofFormatException)
        {
            failure = e.Message;
            return false;
        }
        return Verify(config, commitments, parsed, parameters, out failure);
    }

    /// <summary>As the byte form, for a proof already parsed with <see cref="StarkProof.FromBytes"/> (e.g. to read its roots first).</summary>
    public static bool Verify(QuantizedNetworkConfig config, TrainingStepCommitments commitments, StarkProof parsed, StarkParameters? parameters, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        ArgumentNullException.ThrowIfNull(parsed);
        parameters ??= StarkParameters.Secure100;
        TrainingStepAir air;
        try { air = AirFor(config); }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            failure = e.Message;
            return false;
        }
        if (parsed.SegmentCount != 4) { failure = "Not a training-step proof (wrong number of commitments)."; return false; }
        if (!parsed.SegmentRoot(0).Span.SequenceEqual(commitments.WeightsBefore)) { failure = "The proof is not for the committed weights before the step."; return false; }
        if (!parsed.SegmentRoot(1).Span.SequenceEqual(commitments.Batch)) { failure = "The proof is not for the committed batch."; return false; }
        if (!parsed.SegmentRoot(2).Span.SequenceEqual(commitments.WeightsAfter)) { failure = "The proof is not for the committed weights after the step."; return false; }
        return StarkVerifier.Verify(air, parsed, parameters, out failure);
    }
}
