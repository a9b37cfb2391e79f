using ZkMl.Models;

namespace ZkMl.Training.Tests;

/// <summary>Random small networks (depth 1..4, with and without biases) with parameters and a batch, for the bit-exactness properties.</summary>
internal static class RandomNetworks
{
    /// <summary>One random step: a configuration, parameters within <paramref name="weightBits"/> bits, a batch of quantized pixels and small signed inputs.</summary>
    public static (QuantizedNetworkConfig Config, long[] Parameters, long[] Inputs, int[] Labels) Step(int seed, int fractionBits, int learningRateShift, int valueBits, int weightBits)
    {
        var rng = new Random(seed);
        int depth = 1 + (int)((uint)seed % 4); // every depth appears
        var layers = Enumerable.Range(0, depth).Select(_ => new DenseLayer(rng.Next(1, 4), rng.Next(2) == 0)).ToArray();
        var config = new QuantizedNetworkConfig(new NetworkDescription(rng.Next(1, 5), layers))
        {
            BatchSize = rng.Next(1, 4),
            FractionBits = fractionBits,
            LearningRateNumerator = rng.Next(1, 40),
            LearningRateShift = learningRateShift,
            ValueBits = valueBits,
        };
        long wMax = 1L << weightBits;
        var parameters = Enumerable.Range(0, (int)config.Network.ParameterCount).Select(_ => rng.NextInt64(-wMax, wMax)).ToArray();
        long xMax = 1L << (fractionBits + 1);
        var inputs = Enumerable.Range(0, config.BatchSize * config.Network.InputSize)
            .Select(_ => rng.Next(3) == 0 ? FixedPoint.QuantizePixel(rng.Next(0, 17), fractionBits) : rng.NextInt64(-xMax, xMax)).ToArray();
        var labels = Enumerable.Range(0, config.BatchSize).Select(_ => rng.Next(config.Network.OutputSize)).ToArray();
        return (config, parameters, inputs, labels);
    }

    /// <summary>The reference step: the updated parameters, or the overflow it throws.</summary>
    public static (long[]? After, FixedPointOverflowException? Error) Reference(QuantizedNetworkConfig config, long[] parameters, long[] inputs, int[] labels)
    {
        var net = new QuantizedNetwork(config, parameters);
        try
        {
            net.TrainStep(inputs, labels);
            return (net.Parameters.ToArray(), null);
        }
        catch (FixedPointOverflowException e)
        {
            return (null, e);
        }
    }
}
