using ZkMl.Common;

namespace ZkMl.Hashing;

/// <summary>Rules shared by the Merkle trees (<see cref="IMerkleTree{TDigest}"/>).</summary>
public static class MerkleTree
{
    /// <summary>Depth of a tree over <paramref name="leafCount"/> leaves: ceil(log2), 0 for a single leaf.</summary>
    public static int DepthFor(int leafCount) => BitMath.CeilingLog2(leafCount);
}
