using ZkMl.Common;
using ZkMl.Models;

namespace ZkMl.Training.Shards;

/// <summary>
/// The shape a shard attestation circuit is built for (and its verifying key pins): rows of <see cref="InputSize"/>
/// quantized features packed as the training circuits pack them (<see cref="FractionBits"/> + 2-bit slots), labels in
/// [0, <see cref="Classes"/>), and a shard tree of <see cref="Capacity"/> leaves. A shard of n rows uses the circuit whose
/// capacity is its padded size, 2^ceil(log2 n), so its root is exactly the dataset tree's subtree over its rows.
/// </summary>
public sealed record ShardParameters
{
    /// <summary>Largest capacity (rows per shard tree).</summary>
    public const int MaxCapacity = 1 << 16;

    /// <summary>Largest number of classes.</summary>
    public const int MaxClasses = 1 << 10;

    /// <summary>Creates parameters after checking their ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range or the capacity is not a power of two.</exception>
    public ShardParameters(int inputSize, int fractionBits, int capacity, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputSize, 1 << 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(fractionBits, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionBits, 24);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        if ((capacity & (capacity - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity must be a power of two.");
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classes, MaxClasses);
        InputSize = inputSize;
        FractionBits = fractionBits;
        Capacity = capacity;
        Classes = classes;
    }

    /// <summary>The parameters for shards of <paramref name="rows"/> rows of <paramref name="network"/>'s inputs and classes.</summary>
    public static ShardParameters For(QuantizedMlpConfig network, int rows)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxCapacity);
        return new ShardParameters(network.InputSize, network.FractionBits, 1 << BitMath.CeilingLog2(rows), network.OutputSize);
    }

    /// <summary>Features per row.</summary>
    public int InputSize { get; }

    /// <summary>Fixed-point fraction bits f of the quantized features.</summary>
    public int FractionBits { get; }

    /// <summary>Leaves of the shard tree (a power of two).</summary>
    public int Capacity { get; }

    /// <summary>Number of label classes (the histogram's length).</summary>
    public int Classes { get; }

    /// <summary>Depth of the shard tree, log2 <see cref="Capacity"/>.</summary>
    public int Depth => BitMath.CeilingLog2(Capacity);

    /// <summary>The fewest rows a shard under these parameters holds: more than half the capacity (one for capacity 1).</summary>
    public int MinRows => Capacity / 2 + 1;

    /// <summary>Features are range-checked to [0, 2^(f+1)); a claimed maximum must lie below this.</summary>
    public long FeatureBound => 1L << (FractionBits + 1);

    internal QuantizedMlpConfig Network => new() { InputSize = InputSize, FractionBits = FractionBits, OutputSize = Classes };
}
