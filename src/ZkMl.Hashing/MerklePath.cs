namespace ZkMl.Hashing;

/// <summary>A Merkle membership path: sibling digests from the leaf level up.</summary>
/// <typeparam name="TDigest">The tree's digest type.</typeparam>
/// <param name="Index">The leaf's position (its bits, least significant first, say whether the node is a right child at each level).</param>
/// <param name="Siblings">Sibling at each level, leaf level first.</param>
public sealed record MerklePath<TDigest>(int Index, IReadOnlyList<TDigest> Siblings);
