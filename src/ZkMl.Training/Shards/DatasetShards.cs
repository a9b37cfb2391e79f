using System.Collections.Immutable;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Shards;

/// <summary>
/// A run's dataset made of contributors' shards, laid out so that the dataset tree (the Groth16 backend's salted
/// Poseidon tree over all rows, zero-padded to a power of two) is the tree over the shards' roots: shard i of n_i rows
/// is a subtree of height k_i = ceil(log2 n_i), shards come in order of non-increasing k_i, and every shard but the last
/// is full (n_i = 2^k_i). Then each shard starts at a multiple of its own padded size, the rows are the shards' rows
/// concatenated with no gaps (so row indices, the batch schedule and the batch-membership proofs are exactly those of
/// one committed data set), and a contributor checks its shard with a path of the remaining levels
/// (<see cref="VerifyInclusion"/>).
/// </summary>
public sealed class DatasetShards
{
    private readonly Bn254Fr[] _roots;
    private readonly int[] _rows, _levels;
    private readonly long[] _first;
    private readonly Dictionary<(int Level, long Index), Bn254Fr> _shardNodes = [];
    private readonly Bn254Fr[] _zero; // _zero[l] = root of an all-padding subtree of height l

    private DatasetShards(Bn254Fr[] roots, int[] rows)
    {
        _roots = roots;
        _rows = rows;
        _levels = new int[rows.Length];
        _first = new long[rows.Length];
        long next = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            _levels[i] = BitMath.CeilingLog2(rows[i]);
            if (i > 0 && _levels[i] > _levels[i - 1])
                throw new ArgumentException($"Shard {i} ({rows[i]} rows) is larger than shard {i - 1}: shards must come in order of non-increasing padded size.", nameof(rows));
            if (i < rows.Length - 1 && rows[i] != 1 << _levels[i])
                throw new ArgumentException($"Shard {i} has {rows[i]} rows: every shard but the last must fill its padded size (a power of two).", nameof(rows));
            _first[i] = next;
            next += 1L << _levels[i];
            _shardNodes[(_levels[i], _first[i] >> _levels[i])] = roots[i];
        }
        long total = _first[^1] + rows[^1];
        if (total > int.MaxValue) throw new ArgumentException("The shards hold more than 2^31 - 1 rows.", nameof(rows));
        RowCount = (int)total;
        Depth = BitMath.CeilingLog2(RowCount);
        _zero = new Bn254Fr[Depth + 1];
        for (int l = 1; l <= Depth; l++) _zero[l] = Poseidon.Hash(_zero[l - 1], _zero[l - 1]);
        Root = Groth16CodecBytes(Node(Depth, 0));
    }

    /// <summary>The layout of shards with these roots (32-byte BN254 scalars) and row counts, in this order.</summary>
    /// <exception cref="ArgumentException">No shards, a root that is not a canonical scalar, a row count below 1, or an order that breaks the layout rule.</exception>
    public static DatasetShards Create(IReadOnlyList<ReadOnlyMemory<byte>> roots, IReadOnlyList<int> rowCounts)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(rowCounts);
        if (roots.Count == 0 || roots.Count != rowCounts.Count) throw new ArgumentException("Give one row count per root, and at least one shard.", nameof(rowCounts));
        var fr = new Bn254Fr[roots.Count];
        for (int i = 0; i < fr.Length; i++)
            if (!Groth16Codec.TryReadFr(roots[i].Span, out fr[i])) throw new ArgumentException($"Shard root {i} is not a canonical 32-byte BN254 scalar.", nameof(roots));
        foreach (int n in rowCounts) ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(rowCounts));
        return new DatasetShards(fr, [.. rowCounts]);
    }

    /// <summary>The layout of verified attestations, in this order (their roots and claimed row counts).</summary>
    public static DatasetShards FromAttestations(IReadOnlyList<ShardAttestation> attestations)
    {
        ArgumentNullException.ThrowIfNull(attestations);
        return Create([.. attestations.Select(a => (ReadOnlyMemory<byte>)a.ShardRoot.ToArray())], [.. attestations.Select(a => a.Claims.RowCount)]);
    }

    /// <summary>The dataset root (32 bytes): what the training contract's DatasetRoot must be.</summary>
    public ImmutableArray<byte> Root { get; }

    /// <summary>Rows of the whole data set: what the training contract's DatasetRows must be.</summary>
    public int RowCount { get; }

    /// <summary>Height of the dataset tree.</summary>
    public int Depth { get; }

    /// <summary>Number of shards.</summary>
    public int ShardCount => _roots.Length;

    /// <summary>The first dataset row of shard <paramref name="shard"/>.</summary>
    public int FirstRow(int shard) => (int)_first[shard];

    /// <summary>The rows of shard <paramref name="shard"/>.</summary>
    public int RowsOf(int shard) => _rows[shard];

    /// <summary>The shard holding dataset row <paramref name="row"/>.</summary>
    public int ShardOf(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        int i = Array.BinarySearch(_first, (long)row);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>True when <paramref name="contract"/> commits to this data set: Poseidon-BN254 format, this root and this row count.</summary>
    public bool IsDatasetOf(TrainingContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.DatasetFormat == DatasetCommitmentFormat.PoseidonBn254Merkle
            && contract.DatasetRoot.AsSpan().SequenceEqual(Root.AsSpan()) && contract.DatasetRows == RowCount;
    }

    /// <summary>The path from shard <paramref name="shard"/>'s root to <see cref="Root"/>.</summary>
    public ShardInclusion Inclusion(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, ShardCount);
        int level = _levels[shard];
        long position = _first[shard] >> level;
        var siblings = ImmutableArray.CreateBuilder<ImmutableArray<byte>>(Depth - level);
        for (int l = level; l < Depth; l++) siblings.Add(Groth16CodecBytes(Node(l, (position >> (l - level)) ^ 1)));
        return new ShardInclusion(level, (int)position, siblings.MoveToImmutable());
    }

    /// <summary>
    /// True when a shard with <paramref name="shardRoot"/> and <paramref name="shardRows"/> rows lies, by
    /// <paramref name="inclusion"/>, under the dataset root <paramref name="datasetRoot"/> of a data set of
    /// <paramref name="datasetRows"/> rows (the training contract's DatasetRoot and DatasetRows), with all its rows inside
    /// the data set, so the batch schedule may draw every one of them. What a contributor runs before the training starts.
    /// </summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> shardRoot, int shardRows, ShardInclusion inclusion, ReadOnlySpan<byte> datasetRoot, int datasetRows)
    {
        ArgumentNullException.ThrowIfNull(inclusion);
        if (shardRows < 1 || datasetRows < 1 || inclusion.Level != BitMath.CeilingLog2(shardRows) || inclusion.Position < 0) return false;
        if (inclusion.Level + inclusion.Siblings.Length != BitMath.CeilingLog2(datasetRows)) return false;
        if (inclusion.FirstRow + shardRows > datasetRows) return false;
        if (!Groth16Codec.TryReadFr(shardRoot, out var node) || !Groth16Codec.TryReadFr(datasetRoot, out var expected)) return false;
        for (int i = 0; i < inclusion.Siblings.Length; i++)
        {
            if (!Groth16Codec.TryReadFr(inclusion.Siblings[i].AsSpan(), out var sibling)) return false;
            node = ((inclusion.Position >> i) & 1) == 0 ? Poseidon.Hash(node, sibling) : Poseidon.Hash(sibling, node);
        }
        return node == expected;
    }

    /// <summary>
    /// The trainer's commitment to the whole data set from the contributors' shards, in this layout's order (the rows and
    /// salts they hand it): the same <see cref="DatasetCommitment"/> one owner would have made over the concatenated
    /// rows, so training and batch-membership proofs run unchanged. <paramref name="network"/> must match the shards'
    /// input size, fraction bits and classes.
    /// </summary>
    /// <exception cref="ArgumentException">The shards are not this layout's (count, rows or roots), or do not match the network.</exception>
    public DatasetCommitment Assemble(IReadOnlyList<ShardContributor> shards, QuantizedMlpConfig network)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(network);
        if (shards.Count != ShardCount) throw new ArgumentException($"The layout has {ShardCount} shards, {shards.Count} given.", nameof(shards));
        for (int i = 0; i < shards.Count; i++)
        {
            var p = shards[i].Parameters;
            if (p.InputSize != network.InputSize || p.FractionBits != network.FractionBits || p.Classes != network.OutputSize)
                throw new ArgumentException($"Shard {i} was committed for another network shape.", nameof(network));
            if (shards[i].Data.Count != _rows[i] || !shards[i].Root.Span.SequenceEqual(Groth16CodecBytes(_roots[i]).AsSpan()))
                throw new ArgumentException($"Shard {i} is not the one in this layout.", nameof(shards));
        }
        var inputs = new long[(long)RowCount * network.InputSize];
        var labels = new int[RowCount];
        var salts = new byte[(long)RowCount * Groth16Codec.FrBytes];
        for (int i = 0; i < shards.Count; i++)
        {
            var s = shards[i];
            s.Data.Inputs.CopyTo(inputs.AsSpan((int)(_first[i] * network.InputSize)));
            s.Data.Labels.CopyTo(labels.AsSpan((int)_first[i]));
            s.Salts.CopyTo(salts.AsSpan((int)(_first[i] * Groth16Codec.FrBytes)));
        }
        var commitment = DatasetCommitment.Create(new QuantizedDataset(network.InputSize, inputs, labels), Backend.Groth16, new Groth16Committer(QuantizedNetworkConfig.FromMlp(network)), salts);
        if (!commitment.Root.Span.SequenceEqual(Root.AsSpan())) throw new InvalidOperationException("The assembled dataset root differs from the layout's.");
        return commitment;
    }

    // A node of the dataset tree from the shard roots: a shard's own node, all padding, or the hash of its children.
    private Bn254Fr Node(int level, long index)
    {
        if (_shardNodes.TryGetValue((level, index), out var root)) return root;
        if (index << level >= RowCount) return _zero[level];
        if (level == 0) throw new InvalidOperationException("A row outside every shard: the layout rule was not enforced.");
        return Poseidon.Hash(Node(level - 1, 2 * index), Node(level - 1, 2 * index + 1));
    }

    private static ImmutableArray<byte> Groth16CodecBytes(Bn254Fr v) => [.. Groth16Codec.FrBytesOf(v)];
}
