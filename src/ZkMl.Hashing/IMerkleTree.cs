namespace ZkMl.Hashing;

/// <summary>
/// The API every Merkle tree here shares: a binary tree of <see cref="MerkleTree.DepthFor"/>(<see cref="LeafCount"/>)
/// levels above the leaves (0 for one leaf, whose root is the leaf), single-leaf paths, and a static
/// <c>Verify(root, leaf, path)</c> on each implementation.
/// </summary>
/// <typeparam name="TDigest">The digest type.</typeparam>
public interface IMerkleTree<TDigest>
{
    /// <summary>Number of leaves given (before any padding).</summary>
    int LeafCount { get; }

    /// <summary>Number of levels above the leaves (the length of a path).</summary>
    int Depth { get; }

    /// <summary>The root digest.</summary>
    TDigest Root { get; }

    /// <summary>The membership path of leaf <paramref name="index"/>.</summary>
    MerklePath<TDigest> Path(int index);
}
