using ZkMl.Models;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Shards;

namespace ZkMl.Training.Tests.Shards;

/// <summary>Tiny shards of the digits data (8 of the 64 features, f = 8) and one development key per capacity, built once.</summary>
internal static class ShardFixture
{
    internal const int Features = 8;
    internal const int FractionBits = 8;
    internal const int Classes = 10;
    private static readonly Dictionary<int, Groth16ProvingKey> Keys = [];

    internal static QuantizedMlpConfig Network { get; } = new() { InputSize = Features, FractionBits = FractionBits, OutputSize = Classes, HiddenSize = 4, BatchSize = 2 };

    internal static byte[] RunId { get; } = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1))];

    internal static ShardParameters Parameters(int rows) => ShardParameters.For(Network, rows);

    /// <summary>Rows <paramref name="first"/>.. of the digits data, features 20..27 (the middle of the image, not blank).</summary>
    internal static QuantizedDataset Digits(int first, int rows)
    {
        var all = TestData.SmallDigits(first + rows, FractionBits);
        var inputs = new long[rows * Features];
        for (int r = 0; r < rows; r++) all.Row(first + r).Slice(20, Features).CopyTo(inputs.AsSpan(r * Features));
        return new QuantizedDataset(Features, inputs, all.Labels[first..].ToArray());
    }

    internal static Groth16ProvingKey Key(int capacity)
    {
        lock (Keys)
        {
            if (!Keys.TryGetValue(capacity, out var key))
                Keys[capacity] = key = ShardAttestations.DevelopmentSetup(new ShardParameters(Features, FractionBits, capacity, Classes));
            return key;
        }
    }
}
