using ZkMl.Hashing;
using ZkMl.Circuits.Gadgets;
using ZkMl.Field;
using ZkMl.Models;

namespace ZkMl.Training.Circuits;

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

    /// <summary>Commitment to a batch (BatchSize rows of InputSize inputs, and labels) with <paramref name="salt"/>.</summary>
    public static T Batch<T>(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, T salt) where T : struct, IPrimeField<T>
    {
        var leaves = new T[labels.Length];
        for (int s = 0; s < labels.Length; s++)
            leaves[s] = SampleLeaf<T>(config, inputs.Slice(s * config.InputSize, config.InputSize), labels[s]);
        return PoseidonCommitment.Commit<T>(leaves, salt);
    }
}
