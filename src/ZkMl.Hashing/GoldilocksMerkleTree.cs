using ZkMl.Field;

namespace ZkMl.Hashing;

/// <summary>
/// A binary Merkle tree of <see cref="GoldilocksPoseidon"/> digests: leaves padded with zero digests to a power of two,
/// nodes <see cref="GoldilocksPoseidon.Compress"/>(left, right).
/// </summary>
public sealed class GoldilocksMerkleTree : CompressionMerkleTree<Goldilocks[]>
{
    /// <summary>Builds the tree over <paramref name="leaves"/> (each a 4-element digest).</summary>
    public GoldilocksMerkleTree(IReadOnlyList<Goldilocks[]> leaves) : base(CheckLeaves(leaves), new Goldilocks[GoldilocksPoseidon.DigestSize], Compress) { }

    /// <summary>True when <paramref name="leaf"/> is at <paramref name="path"/>'s index in the tree with <paramref name="root"/>.</summary>
    public static bool Verify(Goldilocks[] root, Goldilocks[] leaf, MerklePath<Goldilocks[]> path) =>
        TryRootFromPath(leaf, path, Compress, out var computed) && computed.AsSpan().SequenceEqual(root);

    private static Goldilocks[] Compress(Goldilocks[] left, Goldilocks[] right) => GoldilocksPoseidon.Compress(left, right);

    private static IReadOnlyList<Goldilocks[]> CheckLeaves(IReadOnlyList<Goldilocks[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        for (int i = 0; i < leaves.Count; i++)
            if (leaves[i].Length != GoldilocksPoseidon.DigestSize)
                throw new ArgumentException($"Leaf {i} is not a {GoldilocksPoseidon.DigestSize}-element digest.", nameof(leaves));
        return leaves;
    }
}
