using System.Buffers;
using System.Numerics;
using ZkMl.Common;

namespace ZkMl.Hashing;

/// <summary>
/// Binary Merkle tree with Blake3 (32-byte digests) over a power-of-two number of leaves, stored as a heap
/// (node 1 is the root, leaf i is node leafCount + i). Openings are batched: one multi-proof carries each
/// sibling digest the verifier cannot recompute exactly once; a single-leaf <see cref="Path"/> is the one-index multi-proof.
/// </summary>
public sealed class Blake3MerkleTree : IMerkleTree<byte[]>
{
    /// <summary>Bytes in a digest.</summary>
    public const int DigestSize = 32;
    private readonly byte[] _nodes;

    /// <inheritdoc/>
    public int LeafCount { get; }

    /// <inheritdoc/>
    public int Depth => BitOperations.Log2((uint)LeafCount);

    /// <summary>Writes the bytes of leaves [first, first + count) back to back into the span it is given.</summary>
    public delegate void LeafWriter(int first, int count, Span<byte> destination);

    /// <summary>Builds the tree over leaves of <paramref name="leafBytes"/> bytes each; a leaf's digest is BLAKE3 of its bytes.</summary>
    public Blake3MerkleTree(int leafCount, int leafBytes, LeafWriter writeLeaves) : this(leafCount, leafBytes, writeLeaves, null) { }

    /// <summary>Hashes leaves [first, first + count) itself: 32 bytes each, back to back.</summary>
    internal delegate void LeafHasher(int first, int count, Span<byte> digests);

    /// <summary>
    /// Builds the tree over leaves that <paramref name="hashLeaves"/> hashes directly (a Ligero commitment's columns, read
    /// from its rows by <see cref="Blake3Batch.HashColumns"/>); leaf digests are BLAKE3 of leaves of <paramref name="leafBytes"/>.
    /// </summary>
    internal static Blake3MerkleTree OverHashedLeaves(int leafCount, int leafBytes, LeafHasher hashLeaves) => new(leafCount, leafBytes, null, hashLeaves);

    private Blake3MerkleTree(int leafCount, int leafBytes, LeafWriter? writeLeaves, LeafHasher? hashLeaves)
    {
        if (leafCount < 1 || !BitOperations.IsPow2(leafCount)) throw new ArgumentException("Leaf count must be a power of two.");
        if (leafBytes < 1) throw new ArgumentException("Leaves must have at least one byte.");
        LeafCount = leafCount;
        _nodes = LargeArray.New<byte>(2 * leafCount * DigestSize);
        var nodes = _nodes;
        // Each part builds a whole subtree (leaves and the levels above them) while its nodes are still in cache.
        int parts = leafCount >= 4096 ? (int)BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 8) : 1;
        int subtree = leafCount / parts;
        int batch = Math.Min(subtree, Math.Max(8, (64 * 1024 / leafBytes) & ~7));
        Parallel.For(0, parts, p =>
        {
            int first = p * subtree;
            if (hashLeaves is not null)
                hashLeaves(first, subtree, nodes.AsSpan((leafCount + first) * DigestSize, subtree * DigestSize));
            else
            {
                var buffer = ArrayPool<byte>.Shared.Rent(batch * leafBytes);
                try
                {
                    for (int i = first; i < first + subtree; i += batch)
                    {
                        int count = Math.Min(batch, first + subtree - i);
                        var bytes = buffer.AsSpan(0, count * leafBytes);
                        writeLeaves!(i, count, bytes);
                        Blake3Batch.HashMany(bytes, leafBytes, count, nodes.AsSpan((leafCount + i) * DigestSize, count * DigestSize));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            for (int level = leafCount / 2, width = subtree / 2; width >= 1; level /= 2, width /= 2)
                HashParents(nodes, level + p * width, width);
        });
        for (int level = parts / 2; level >= 1; level /= 2) HashParents(nodes, level, level);
    }

    /// <summary>Nodes [first, first + count) from their children, which lie back to back at 2 first.</summary>
    private static void HashParents(byte[] nodes, int first, int count) =>
        Blake3Batch.HashMany(nodes.AsSpan(2 * first * DigestSize, 2 * count * DigestSize), 2 * DigestSize, count, nodes.AsSpan(first * DigestSize, count * DigestSize));

    /// <inheritdoc/>
    public byte[] Root => _nodes.AsSpan(DigestSize, DigestSize).ToArray();

    /// <inheritdoc/>
    public MerklePath<byte[]> Path(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        return new MerklePath<byte[]>(index, Open([index]));
    }

    /// <summary>True when <paramref name="leaf"/> (a leaf digest) is at <paramref name="path"/>'s index in the tree with <paramref name="root"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> root, byte[] leaf, MerklePath<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Siblings.Count < 31 && Verify(root, 1 << path.Siblings.Count, [path.Index], [leaf], path.Siblings);
    }

    /// <summary>Sibling digests needed to authenticate the given sorted, distinct leaf indices.</summary>
    public List<byte[]> Open(IReadOnlyList<int> sortedLeafIndices)
    {
        var proof = new List<byte[]>();
        var known = new List<int>(sortedLeafIndices.Count);
        foreach (var i in sortedLeafIndices) known.Add(LeafCount + i);
        while (known.Count > 0 && known[0] > 1)
        {
            var next = new List<int>(known.Count);
            for (int k = 0; k < known.Count; k++)
            {
                int node = known[k];
                int sibling = node ^ 1;
                if (k + 1 < known.Count && known[k + 1] == sibling) k++;
                else proof.Add(_nodes.AsSpan(sibling * DigestSize, DigestSize).ToArray());
                int parent = node >> 1;
                if (next.Count == 0 || next[^1] != parent) next.Add(parent);
            }
            known = next;
        }
        return proof;
    }

    /// <summary>Checks a multi-proof; returns false on any mismatch or when the proof has too few or too many digests.</summary>
    public static bool Verify(ReadOnlySpan<byte> root, int leafCount, IReadOnlyList<int> sortedLeafIndices, IReadOnlyList<byte[]> leafDigests, IReadOnlyList<byte[]> proof)
    {
        if (sortedLeafIndices.Count == 0 || sortedLeafIndices.Count != leafDigests.Count) return false;
        var known = new List<(int Node, byte[] Digest)>(sortedLeafIndices.Count);
        for (int k = 0; k < sortedLeafIndices.Count; k++)
        {
            int idx = sortedLeafIndices[k];
            if (idx < 0 || idx >= leafCount || (k > 0 && idx <= sortedLeafIndices[k - 1])) return false;
            known.Add((leafCount + idx, leafDigests[k]));
        }
        int used = 0;
        Span<byte> pair = stackalloc byte[2 * DigestSize];
        while (known[0].Node > 1)
        {
            var next = new List<(int, byte[])>(known.Count);
            for (int k = 0; k < known.Count; k++)
            {
                var (node, digest) = known[k];
                byte[] sibling;
                if (k + 1 < known.Count && known[k + 1].Node == (node ^ 1)) { sibling = known[k + 1].Digest; k++; }
                else
                {
                    if (used >= proof.Count) return false;
                    sibling = proof[used++];
                }
                if ((node & 1) == 0) { digest.CopyTo(pair); sibling.CopyTo(pair[DigestSize..]); }
                else { sibling.CopyTo(pair); digest.CopyTo(pair[DigestSize..]); }
                var parent = new byte[DigestSize];
                Blake3.Hasher.Hash(pair, parent);
                next.Add((node >> 1, parent));
            }
            known = next;
        }
        return used == proof.Count && known[0].Digest.AsSpan().SequenceEqual(root);
    }
}
