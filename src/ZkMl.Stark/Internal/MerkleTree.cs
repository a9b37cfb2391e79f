using System.Numerics;

namespace ZkMl.Stark.Internal;

/// <summary>
/// Binary Merkle tree with Blake3 (32-byte digests) over a power-of-two number of leaves, stored as a heap
/// (node 1 is the root, leaf i is node leafCount + i). Openings are batched: one multi-proof carries each
/// sibling digest the verifier cannot recompute exactly once.
/// </summary>
internal sealed class MerkleTree
{
    public const int DigestSize = 32;
    private readonly byte[] _nodes;
    public int LeafCount { get; }

    /// <summary>Builds the tree; <paramref name="hashLeaf"/> writes leaf i's digest into the span it is given.</summary>
    public MerkleTree(int leafCount, Action<int, Span<byte>> hashLeaf)
    {
        if (leafCount < 1 || !BitOperations.IsPow2(leafCount)) throw new ArgumentException("Leaf count must be a power of two.");
        LeafCount = leafCount;
        _nodes = new byte[2 * leafCount * DigestSize];
        var nodes = _nodes;
        ParallelChunks(leafCount, (start, end) =>
        {
            for (int i = start; i < end; i++) hashLeaf(i, nodes.AsSpan((leafCount + i) * DigestSize, DigestSize));
        });
        for (int levelStart = leafCount / 2; levelStart >= 1; levelStart /= 2)
        {
            int ls = levelStart;
            ParallelChunks(levelStart, (start, end) =>
            {
                for (int i = ls + start; i < ls + end; i++)
                    Blake3.Hasher.Hash(nodes.AsSpan(2 * i * DigestSize, 2 * DigestSize), nodes.AsSpan(i * DigestSize, DigestSize));
            });
        }
    }

    public byte[] Root => _nodes.AsSpan(DigestSize, DigestSize).ToArray();

    private static void ParallelChunks(int count, Action<int, int> body)
    {
        if (count < 4096) { body(0, count); return; }
        int parts = Environment.ProcessorCount * 4;
        int per = (count + parts - 1) / parts;
        Parallel.For(0, parts, p =>
        {
            int s = p * per, e = Math.Min(count, s + per);
            if (s < e) body(s, e);
        });
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
