namespace ZkMl.Hashing;

/// <summary>
/// A binary Merkle tree whose nodes are a two-to-one compression of their children, over leaf digests padded with a
/// zero digest to a power of two: the shared body of <see cref="PoseidonMerkleTree{T}"/> and <see cref="GoldilocksMerkleTree"/>.
/// </summary>
/// <typeparam name="TDigest">The digest type.</typeparam>
public abstract class CompressionMerkleTree<TDigest> : IMerkleTree<TDigest>
{
    private readonly TDigest[][] _levels; // _levels[0] = padded leaves, last = [root]

    /// <summary>Builds the tree over <paramref name="leaves"/> (at least one), padding with <paramref name="zero"/>.</summary>
    private protected CompressionMerkleTree(IReadOnlyList<TDigest> leaves, TDigest zero, Func<TDigest, TDigest, TDigest> compress)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0) throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(leaves));
        int depth = MerkleTree.DepthFor(leaves.Count);
        var levels = new TDigest[depth + 1][];
        levels[0] = new TDigest[1 << depth];
        for (int i = 0; i < levels[0].Length; i++) levels[0][i] = i < leaves.Count ? leaves[i] : zero;
        for (int d = 1; d <= depth; d++)
        {
            var below = levels[d - 1];
            var level = new TDigest[below.Length / 2];
            Parallel.For(0, level.Length, i => level[i] = compress(below[2 * i], below[2 * i + 1]));
            levels[d] = level;
        }
        _levels = levels;
        LeafCount = leaves.Count;
    }

    /// <inheritdoc/>
    public int LeafCount { get; }

    /// <inheritdoc/>
    public int Depth => _levels.Length - 1;

    /// <inheritdoc/>
    public TDigest Root => _levels[^1][0];

    /// <inheritdoc/>
    public MerklePath<TDigest> Path(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        var siblings = new TDigest[Depth];
        for (int d = 0; d < Depth; d++) siblings[d] = _levels[d][(index >> d) ^ 1];
        return new MerklePath<TDigest>(index, siblings);
    }

    /// <summary>The root reached by compressing <paramref name="leaf"/> up along <paramref name="path"/>; false when the index does not fit the path.</summary>
    private protected static bool TryRootFromPath(TDigest leaf, MerklePath<TDigest> path, Func<TDigest, TDigest, TDigest> compress, out TDigest root)
    {
        ArgumentNullException.ThrowIfNull(path);
        root = leaf;
        if (path.Index < 0 || (path.Siblings.Count < 31 && path.Index >= 1 << path.Siblings.Count)) return false;
        for (int d = 0; d < path.Siblings.Count; d++)
            root = ((path.Index >> d) & 1) == 0 ? compress(root, path.Siblings[d]) : compress(path.Siblings[d], root);
        return true;
    }
}
