using ZkMl.Models;
using ZkMl.Field;

namespace ZkMl.Stark.Training;

/// <summary>Result of proving one SGD step with the STARK backend.</summary>
public sealed class TrainingStepProof
{
    internal TrainingStepProof(byte[] proof, long[] w1After, long[] w2After, TrainingStepCommitments commitments, string metadata)
    {
        Proof = proof;
        Weights1After = w1After;
        Weights2After = w2After;
        Commitments = commitments;
        Metadata = metadata;
    }

    /// <summary>The serialized STARK proof.</summary>
    public byte[] Proof { get; }
    /// <summary>W1 after the step (Hidden x Input, row-major), bit-exact with <see cref="QuantizedMlp.TrainStep"/>.</summary>
    public long[] Weights1After { get; }
    /// <summary>W2 after the step (Output x Hidden, row-major).</summary>
    public long[] Weights2After { get; }
    /// <summary>The public commitments the proof is bound to.</summary>
    public TrainingStepCommitments Commitments { get; }
    /// <summary>Proof metadata (parameters, conjectured security, size).</summary>
    public string Metadata { get; }
}

/// <summary>Proves and verifies one quantized SGD step (Dense-ReLU-Dense, MSE gradient) with the training-step AIR.</summary>
public static class TrainingStepStark
{
    private static readonly object CacheLock = new();
    private static TrainingStepAir? s_lastAir;

    /// <summary>The AIR for <paramref name="config"/>; the last one is kept (building the program of a large network takes a while).</summary>
    internal static TrainingStepAir AirFor(QuantizedMlpConfig config)
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
    /// Proves the step from <paramref name="weights1"/>, <paramref name="weights2"/> on the batch
    /// (<paramref name="inputs"/>: BatchSize x InputSize quantized inputs; <paramref name="labels"/>).
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width (as the reference).</exception>
    /// <exception cref="NotSupportedException">A value exceeds the AIR's 24-bit operand range, or the configuration is unsupported.</exception>
    public static TrainingStepProof Prove(QuantizedMlpConfig config, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2,
        ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, TrainingStepSeeds seeds, StarkParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        parameters ??= StarkParameters.Secure100;
        if (!parameters.ZeroKnowledge) throw new ArgumentException("Training-step proofs keep weights and batch private: use zero-knowledge parameters.", nameof(parameters));
        var air = AirFor(config);
        var witness = TrainingTraceBuilder.Build(air, weights1, weights2, inputs, labels);
        var proof = StarkProver.Prove(air, witness.Trace, parameters, [seeds.WeightsBefore, seeds.Batch, seeds.WeightsAfter, null]);
        var commitments = new TrainingStepCommitments(proof.MainRoots[0], proof.MainRoots[1], proof.MainRoots[2]);
        return new TrainingStepProof(proof.ToBytes(), witness.Weights1After, witness.Weights2After, commitments, proof.ToString());
    }

    /// <summary>
    /// The commitment to weights (W1 then W2) that a step proof with this seed and these parameters carries
    /// (as <see cref="TrainingStepCommitments.WeightsBefore"/> or <see cref="TrainingStepCommitments.WeightsAfter"/>), e.g. to publish the
    /// initial model's commitment before training.
    /// </summary>
    public static byte[] CommitWeights(QuantizedMlpConfig config, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2, byte[] seed, StarkParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var air = AirFor(config);
        var column = TrainingColumns.Weights(config, air.TraceLength, weights1, weights2);
        return StarkProver.SegmentRoot(air, parameters ?? StarkParameters.Secure100, [column], seed);
    }

    /// <summary>Verifies a step proof against the public commitments. Returns false (never throws) for any invalid proof.</summary>
    public static bool Verify(QuantizedMlpConfig config, TrainingStepCommitments commitments, ReadOnlySpan<byte> proof, StarkParameters? parameters = null) =>
        Verify(config, commitments, proof, parameters, out _);

    /// <summary>As <see cref="Verify(QuantizedMlpConfig, TrainingStepCommitments, ReadOnlySpan{byte}, StarkParameters?)"/>, with the rejection reason.</summary>
    public static bool Verify(QuantizedMlpConfig config, TrainingStepCommitments commitments, ReadOnlySpan<byte> proof, StarkParameters? parameters, out string? failure)
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
    public static bool Verify(QuantizedMlpConfig config, TrainingStepCommitments commitments, StarkProof parsed, StarkParameters? parameters, out string? failure)
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
        if (parsed.MainRoots.Length != 4) { failure = "Not a training-step proof (wrong number of commitments)."; return false; }
        if (!parsed.MainRoots[0].AsSpan().SequenceEqual(commitments.WeightsBefore)) { failure = "The proof is not for the committed weights before the step."; return false; }
        if (!parsed.MainRoots[1].AsSpan().SequenceEqual(commitments.Batch)) { failure = "The proof is not for the committed batch."; return false; }
        if (!parsed.MainRoots[2].AsSpan().SequenceEqual(commitments.WeightsAfter)) { failure = "The proof is not for the committed weights after the step."; return false; }
        return StarkVerifier.Verify(air, parsed, parameters, out failure);
    }
}
