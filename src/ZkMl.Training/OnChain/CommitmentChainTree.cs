using System.Security.Cryptography;

namespace ZkMl.Training.OnChain;

/// <summary>
/// The SHA-256 Merkle tree over a run's weight-commitment chain that the trainer posts on chain (docs/onchain.md).
/// Leaf i (i = 0..S, the commitment after i steps; leaf 0 is the initial commitment) is
/// <c>sha256(0x00 || u256 i || u256 c_i)</c>, c_i the commitment as a BN254 scalar in a big-endian word; an inner node is
/// <c>sha256(0x01 || left || right)</c>; the tree has depth d, the least d &gt;= 1 with 2^d &gt;= S + 1, and leaves past S
/// are 32 zero bytes. An opening is the d siblings from the leaf up. The 0x00/0x01 prefixes keep leaves and nodes apart.
/// </summary>
public sealed class CommitmentChainTree
{
    private readonly byte[][][] _levels; // _levels[0] = leaves (padded), _levels[d] = [root]

    /// <summary>The tree of <paramref name="commitments"/> (a transcript's chain: S + 1 Groth16 commitments).</summary>
    /// <exception cref="ArgumentException">Fewer than two commitments, or one is not a canonical BN254 scalar.</exception>
    public CommitmentChainTree(IReadOnlyList<byte[]> commitments)
    {
        ArgumentNullException.ThrowIfNull(commitments);
        if (commitments.Count < 2) throw new ArgumentException("A chain has at least the initial commitment and one step.", nameof(commitments));
        Depth = DepthFor(commitments.Count - 1);
        var leaves = new byte[1 << Depth][];
        for (int i = 0; i < leaves.Length; i++)
            leaves[i] = i < commitments.Count ? Leaf(i, EvmWords.Scalar(commitments[i], $"commitments[{i}]")) : new byte[32];
        _levels = new byte[Depth + 1][][];
        _levels[0] = leaves;
        for (int level = 1; level <= Depth; level++)
        {
            var below = _levels[level - 1];
            _levels[level] = Enumerable.Range(0, below.Length / 2).Select(k => Node(below[2 * k], below[2 * k + 1])).ToArray();
        }
    }

    /// <summary>The tree's depth: the number of siblings in an opening.</summary>
    public int Depth { get; }

    /// <summary>The root the trainer posts (32 bytes).</summary>
    public byte[] Root => (byte[])_levels[Depth][0].Clone();

    /// <summary>The depth of the tree of a chain of <paramref name="stepCount"/> steps (S + 1 leaves).</summary>
    public static int DepthFor(int stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepCount);
        int depth = 1;
        while ((1L << depth) < stepCount + 1L) depth++;
        return depth;
    }

    /// <summary>The siblings of leaf <paramref name="index"/>, from the leaf up.</summary>
    public byte[][] Open(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _levels[0].Length);
        var siblings = new byte[Depth][];
        for (int level = 0; level < Depth; level++, index >>= 1) siblings[level] = (byte[])_levels[level][index ^ 1].Clone();
        return siblings;
    }

    /// <summary>
    /// True when <paramref name="opening"/> opens leaf <paramref name="index"/> with <paramref name="commitment"/> (Groth16
    /// bytes) to <paramref name="root"/> in a tree of depth <paramref name="depth"/>; what the contract checks.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> root, int depth, int index, ReadOnlySpan<byte> commitment, IReadOnlyList<byte[]> opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (index < 0 || depth < 1 || depth > 31 || opening.Count != depth || opening.Any(s => s is null || s.Length != 32)) return false;
        byte[] word;
        try { word = EvmWords.Scalar(commitment, "commitment"); }
        catch (ArgumentException) { return false; }
        var h = Leaf(index, word);
        for (int k = 0; k < depth; k++, index >>= 1) h = (index & 1) == 0 ? Node(h, opening[k]) : Node(opening[k], h);
        return index == 0 && h.AsSpan().SequenceEqual(root);
    }

    private static byte[] Leaf(int index, byte[] commitmentWord)
    {
        var input = new byte[1 + 32 + 32];
        EvmWords.UInt((ulong)index).CopyTo(input, 1);
        commitmentWord.CopyTo(input, 33);
        return SHA256.HashData(input);
    }

    private static byte[] Node(byte[] left, byte[] right)
    {
        var input = new byte[1 + 32 + 32];
        input[0] = 1;
        left.CopyTo(input, 1);
        right.CopyTo(input, 33);
        return SHA256.HashData(input);
    }
}
