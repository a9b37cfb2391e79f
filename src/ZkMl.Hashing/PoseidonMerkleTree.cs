using ZkMl.Field;

namespace ZkMl.Hashing;

/// <summary>
/// A binary Merkle tree with node = <see cref="Poseidon"/>.Hash(left, right), over leaves padded with zeros to a power
/// of two. The membership gadget is <c>ZkMl.Circuits.Gadgets.MerkleMembershipGadget</c>.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class PoseidonMerkleTree<T> : CompressionMerkleTree<T> where T : struct, IPrimeField<T>
{
    /// <summary>Builds the tree over <paramref name="leaves"/> (at least one).</summary>
    public PoseidonMerkleTree(IReadOnlyList<T> leaves) : base(leaves, T.Zero, Poseidon.Hash) { }

    /// <summary>True when <paramref name="leaf"/> is at <paramref name="path"/>'s index in the tree with <paramref name="root"/>.</summary>
    public static bool Verify(T root, T leaf, MerklePath<T> path) =>
        TryRootFromPath(leaf, path, Poseidon.Hash, out var computed) && computed == root;
}
