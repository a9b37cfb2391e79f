using ZkMl.Field;

namespace ZkMl.Circuits.Hashing;

/// <summary>
/// Commitment to a sequence of field elements with Poseidon, native and as a gadget:
/// h_0 = Poseidon(salt, n), h_{i+1} = Poseidon(h_i, chunk_i) over chunks of 15 elements (the last one zero-padded;
/// n binds the length so padding is unambiguous); the commitment is the last h. A uniformly random salt makes it
/// hiding; salt 0 gives a plain binding digest.
/// </summary>
public static class PoseidonCommitment
{
    /// <summary>Elements absorbed per Poseidon call (16 inputs: the chain value and 15 elements).</summary>
    public const int ChunkSize = 15;

    /// <summary>Commits to <paramref name="elements"/> with <paramref name="salt"/>.</summary>
    public static T Commit<T>(ReadOnlySpan<T> elements, T salt) where T : struct, IPrimeField<T>
    {
        var h = Poseidon.Hash(salt, T.FromUInt64((ulong)elements.Length));
        var buf = new T[ChunkSize + 1];
        for (int start = 0; start < elements.Length; start += ChunkSize)
        {
            Array.Clear(buf);
            buf[0] = h;
            var chunk = elements.Slice(start, Math.Min(ChunkSize, elements.Length - start));
            chunk.CopyTo(buf.AsSpan(1));
            h = Poseidon.Hash<T>(buf);
        }
        return h;
    }

    /// <summary>The gadget: constrains and returns the commitment to <paramref name="elements"/> with <paramref name="salt"/>.</summary>
    public static LinearCombination<T> Commit<T>(R1csBuilder<T> b, IReadOnlyList<LinearCombination<T>> elements, LinearCombination<T> salt)
        where T : struct, IPrimeField<T>
    {
        var h = Poseidon.Hash(b, salt, b.Constant(T.FromUInt64((ulong)elements.Count)));
        for (int start = 0; start < elements.Count; start += ChunkSize)
        {
            var buf = new LinearCombination<T>[ChunkSize + 1];
            buf[0] = h;
            for (int i = 0; i < ChunkSize; i++)
                buf[i + 1] = start + i < elements.Count ? elements[start + i] : LinearCombination<T>.Zero;
            h = Poseidon.Hash(b, buf);
        }
        return h;
    }
}

/// <summary>A Merkle membership path: sibling hashes from the leaf level up.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Index">The leaf's position (its bits, least significant first, say whether the node is a right child at each level).</param>
/// <param name="Siblings">Sibling at each level, leaf level first.</param>
public sealed record MerklePath<T>(int Index, IReadOnlyList<T> Siblings) where T : struct, IPrimeField<T>;

/// <summary>
/// A binary Merkle tree with node = Poseidon(left, right), over leaves padded with zeros to a power of two.
/// Native tree and paths, plus the membership gadget.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class PoseidonMerkleTree<T> where T : struct, IPrimeField<T>
{
    private readonly T[][] _levels; // _levels[0] = padded leaves, last = [root]

    /// <summary>Builds the tree over <paramref name="leaves"/> (at least one).</summary>
    public PoseidonMerkleTree(IReadOnlyList<T> leaves)
    {
        if (leaves.Count == 0) throw new ArgumentException("a Merkle tree needs at least one leaf", nameof(leaves));
        int depth = 0;
        while ((1L << depth) < leaves.Count) depth++;
        var levels = new T[depth + 1][];
        levels[0] = new T[1 << depth];
        for (int i = 0; i < leaves.Count; i++) levels[0][i] = leaves[i];
        for (int d = 1; d <= depth; d++)
        {
            var below = levels[d - 1];
            var level = new T[below.Length / 2];
            Parallel.For(0, level.Length, i => level[i] = Poseidon.Hash(below[2 * i], below[2 * i + 1]));
            levels[d] = level;
        }
        _levels = levels;
        LeafCount = leaves.Count;
    }

    /// <summary>Number of leaves given (before padding).</summary>
    public int LeafCount { get; }

    /// <summary>Number of levels above the leaves (path length).</summary>
    public int Depth => _levels.Length - 1;

    /// <summary>The root.</summary>
    public T Root => _levels[^1][0];

    /// <summary>The membership path of leaf <paramref name="index"/>.</summary>
    public MerklePath<T> GetPath(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        var siblings = new T[Depth];
        for (int d = 0; d < Depth; d++) siblings[d] = _levels[d][(index >> d) ^ 1];
        return new MerklePath<T>(index, siblings);
    }

    /// <summary>The root obtained by hashing <paramref name="leaf"/> up along <paramref name="path"/>.</summary>
    public static T ComputeRoot(T leaf, MerklePath<T> path)
    {
        var h = leaf;
        for (int d = 0; d < path.Siblings.Count; d++)
            h = ((path.Index >> d) & 1) == 0 ? Poseidon.Hash(h, path.Siblings[d]) : Poseidon.Hash(path.Siblings[d], h);
        return h;
    }

    /// <summary>True when <paramref name="leaf"/> is at <paramref name="path"/>'s index in the tree with <paramref name="root"/>.</summary>
    public static bool Verify(T root, T leaf, MerklePath<T> path) =>
        path.Index >= 0 && (path.Siblings.Count >= 31 || path.Index < 1 << path.Siblings.Count) && ComputeRoot(leaf, path) == root;

    /// <summary>
    /// The gadget: the root reached from <paramref name="leaf"/> with the given index bits (leaf level first; each is
    /// constrained boolean here) and siblings. Per level: one boolean check, two selects and a Poseidon(2).
    /// </summary>
    public static LinearCombination<T> ComputeRoot(R1csBuilder<T> b, LinearCombination<T> leaf,
        IReadOnlyList<LinearCombination<T>> indexBits, IReadOnlyList<LinearCombination<T>> siblings)
    {
        if (indexBits.Count != siblings.Count) throw new ArgumentException("one index bit per sibling is needed");
        var h = leaf;
        for (int d = 0; d < siblings.Count; d++)
        {
            b.AssertBoolean(indexBits[d]);
            // bit 0: (h, sibling); bit 1: (sibling, h). left = h + bit*(sibling - h), right = h + sibling - left.
            var left = b.Select(indexBits[d], siblings[d], h);
            var right = h + siblings[d] - left;
            h = Poseidon.Hash(b, left, right);
        }
        return h;
    }

    /// <summary>The gadget: constrains <paramref name="leaf"/> to be in the tree with <paramref name="root"/> at the index given by its bits.</summary>
    public static void AssertMembership(R1csBuilder<T> b, LinearCombination<T> root, LinearCombination<T> leaf,
        IReadOnlyList<LinearCombination<T>> indexBits, IReadOnlyList<LinearCombination<T>> siblings) =>
        b.AssertEqual(ComputeRoot(b, leaf, indexBits, siblings), root);
}
