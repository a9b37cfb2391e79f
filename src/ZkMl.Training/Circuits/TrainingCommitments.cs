using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

/// <summary>
/// The commitments an SGD-step circuit exposes, computed natively (the circuit recomputes them in-circuit):
/// parameters (in <see cref="QuantizedNetwork.Parameters"/> order) packed in B-bit offset slots, then
/// <see cref="PoseidonCommitment"/> with a salt; each sample as the leaf Poseidon(packed inputs..., label), the batch as
/// <see cref="PoseidonCommitment"/> over its leaves with a salt.
/// </summary>
public static class TrainingCommitments
{
    /// <summary>The declared signed width of inputs: f + 2 bits, so [-2, 2) in real terms (pixels map to [0, 1]).</summary>
    public static int InputBits(int fractionBits) => fractionBits + 2;

    /// <summary>The declared signed width of inputs of <paramref name="config"/>: f + 2 bits.</summary>
    public static int InputBits(QuantizedMlpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return InputBits(config.FractionBits);
    }

    /// <summary>Commitment to (W1, W2) with <paramref name="salt"/>: <see cref="Parameters{T}"/> of W1 then W2.</summary>
    public static T Weights<T>(QuantizedMlpConfig config, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2, T salt) where T : struct, IPrimeField<T>
    {
        ArgumentNullException.ThrowIfNull(config);
        return Parameters(config.ValueBits, [.. weights1, .. weights2], salt);
    }

    /// <summary>Commitment to all parameters of a network (<see cref="QuantizedNetwork.Parameters"/> order), each in a <paramref name="valueBits"/>-bit slot, with <paramref name="salt"/>.</summary>
    public static T Parameters<T>(int valueBits, ReadOnlySpan<long> parameters, T salt) where T : struct, IPrimeField<T> =>
        PoseidonCommitment.Commit<T>(FixedPointGadgets<T>.PackSigned(parameters, valueBits), salt);

    /// <summary>The leaf of one sample: Poseidon(inputs packed in <see cref="InputBits(int)"/>-bit slots..., label).</summary>
    public static T SampleLeaf<T>(int fractionBits, ReadOnlySpan<long> inputs, int label) where T : struct, IPrimeField<T>
    {
        var packed = FixedPointGadgets<T>.PackSigned(inputs, InputBits(fractionBits));
        return Poseidon.Hash<T>([.. packed, T.FromUInt64((ulong)label)]);
    }

    /// <summary>The leaf of one sample under <paramref name="config"/>.</summary>
    public static T SampleLeaf<T>(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, int label) where T : struct, IPrimeField<T>
    {
        ArgumentNullException.ThrowIfNull(config);
        return SampleLeaf<T>(config.FractionBits, inputs, label);
    }

    /// <summary>Commitment to a batch (rows of <paramref name="inputSize"/> inputs, and labels) with <paramref name="salt"/>.</summary>
    public static T Batch<T>(int fractionBits, int inputSize, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, T salt) where T : struct, IPrimeField<T>
    {
        var leaves = new T[labels.Length];
        for (int s = 0; s < labels.Length; s++)
            leaves[s] = SampleLeaf<T>(fractionBits, inputs.Slice(s * inputSize, inputSize), labels[s]);
        return PoseidonCommitment.Commit<T>(leaves, salt);
    }

    /// <summary>Commitment to a batch (BatchSize rows of InputSize inputs, and labels) with <paramref name="salt"/>.</summary>
    public static T Batch<T>(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, T salt) where T : struct, IPrimeField<T>
    {
        ArgumentNullException.ThrowIfNull(config);
        return Batch(config.FractionBits, config.InputSize, inputs, labels, salt);
    }
}
