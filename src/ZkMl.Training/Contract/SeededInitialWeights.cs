using System.Buffers.Binary;
using System.Security.Cryptography;
using ZkMl.Models;

namespace ZkMl.Training.Contract;

/// <summary>
/// <see cref="InitialWeightsRule.DerivedFromScheduleSeed"/>, integers only. Layer l (0-based) with fan-in n (the input
/// size, then the previous width) and fan-out m (its width) gets scale = isqrt(floor(6 * 2^(2f) / (n + m))), the
/// fixed-point Glorot-uniform bound; its weights, [m x n] row-major, are uniform in [-scale, scale] and its biases zero.
/// Draws: block j = SHA-256("ZkMl.InitialWeights.v1" || seed || u32 LE l || u32 LE j), j = 0, 1, ...; each block is
/// four u64 LE words w in order; with k = 2 * scale + 1 a word is accepted when w &gt;= 2^64 mod k and gives
/// (w mod k) - scale.
/// </summary>
public static class SeededInitialWeights
{
    /// <summary>The domain tag of the draws.</summary>
    public static ReadOnlySpan<byte> Tag => "ZkMl.InitialWeights.v1"u8;

    /// <summary>isqrt(floor(6 * 2^(2f) / (fanIn + fanOut))).</summary>
    public static long Scale(int fanIn, int fanOut, int fractionBits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        ArgumentOutOfRangeException.ThrowIfNegative(fractionBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionBits, 24);
        return (long)ISqrt((6UL << (2 * fractionBits)) / (ulong)(fanIn + fanOut));
    }

    /// <summary>The weights of every layer (layer l is [width x fan-in] row-major); biases, where a layer has them, are zero.</summary>
    public static long[][] Weights(ReadOnlySpan<byte> seed, int inputSize, IReadOnlyList<ContractLayer> layers, int fractionBits)
    {
        if (seed.Length != 32) throw new ArgumentException("A seed is 32 bytes.", nameof(seed));
        ArgumentNullException.ThrowIfNull(layers);
        var result = new long[layers.Count][];
        int fanIn = inputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            int fanOut = layers[l].Width;
            result[l] = Layer(seed, l, checked(fanIn * fanOut), Scale(fanIn, fanOut, fractionBits));
            fanIn = fanOut;
        }
        return result;
    }

    /// <summary>The network of <paramref name="contract"/>, of any depth, with weights from <paramref name="scheduleSeed"/> and zero biases.</summary>
    public static QuantizedNetwork CreateNetwork(TrainingContract contract, ReadOnlySpan<byte> scheduleSeed)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var config = contract.ToQuantizedNetworkConfig();
        var w = Weights(scheduleSeed, contract.InputSize, contract.Layers, contract.FractionBits);
        var parameters = new long[config.Network.ParameterCount];
        int offset = 0;
        for (int l = 0; l < w.Length; l++)
        {
            w[l].CopyTo(parameters, offset);
            offset += w[l].Length + (contract.Layers[l].HasBias ? contract.Layers[l].Width : 0);
        }
        return new QuantizedNetwork(config, parameters);
    }

    /// <summary>Today's two-layer network of <paramref name="contract"/> with weights from <paramref name="scheduleSeed"/>.</summary>
    /// <exception cref="NotSupportedException">The contract's network is not today's two-layer shape.</exception>
    public static QuantizedMlp Create(TrainingContract contract, ReadOnlySpan<byte> scheduleSeed)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var config = contract.ToQuantizedMlpConfig();
        var w = Weights(scheduleSeed, contract.InputSize, contract.Layers, contract.FractionBits);
        return new QuantizedMlp(config, w[0], w[1]);
    }

    private static long[] Layer(ReadOnlySpan<byte> seed, int layer, int count, long scale)
    {
        ulong k = 2 * (ulong)scale + 1;
        ulong threshold = (0UL - k) % k; // 2^64 mod k
        var weights = new long[count];
        Span<byte> input = stackalloc byte[Tag.Length + 40];
        Tag.CopyTo(input);
        seed.CopyTo(input[Tag.Length..]);
        BinaryPrimitives.WriteUInt32LittleEndian(input[(Tag.Length + 32)..], (uint)layer);
        Span<byte> block = stackalloc byte[32];
        int filled = 0;
        for (uint j = 0; filled < count; j++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input[^4..], j);
            SHA256.HashData(input, block);
            for (int i = 0; i < 4 && filled < count; i++)
            {
                ulong w = BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
                if (w >= threshold) weights[filled++] = (long)(w % k) - scale;
            }
        }
        return weights;
    }

    private static ulong ISqrt(ulong x)
    {
        ulong root = 0, bit = 1UL << 62;
        while (bit > x) bit >>= 2;
        while (bit != 0)
        {
            if (x >= root + bit)
            {
                x -= root + bit;
                root = (root >> 1) + bit;
            }
            else root >>= 1;
            bit >>= 2;
        }
        return root;
    }
}
