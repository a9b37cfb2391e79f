using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Circuits.Gadgets;

/// <summary>The R1CS gadget of membership in a <see cref="PoseidonMerkleTree{T}"/>.</summary>
public static class MerkleMembershipGadget
{
    /// <summary>
    /// The gadget: the root reached from <paramref name="leaf"/> with the given index bits (leaf level first; each is
    /// constrained boolean here) and siblings. Per level: one boolean check, two selects and a Poseidon(2).
    /// </summary>
    public static LinearCombination<T> ComputeRoot<T>(R1csBuilder<T> b, LinearCombination<T> leaf,
        IReadOnlyList<LinearCombination<T>> indexBits, IReadOnlyList<LinearCombination<T>> siblings)
        where T : struct, IPrimeField<T>
    {
        if (indexBits.Count != siblings.Count) throw new ArgumentException("one index bit per sibling is needed");
        var h = leaf;
        for (int d = 0; d < siblings.Count; d++)
        {
            b.AssertBoolean(indexBits[d]);
            // bit 0: (h, sibling); bit 1: (sibling, h). left = h + bit*(sibling - h), right = h + sibling - left.
            var left = b.Select(indexBits[d], siblings[d], h);
            var right = h + siblings[d] - left;
            h = PoseidonGadget.Hash(b, left, right);
        }
        return h;
    }

    /// <summary>The gadget: constrains <paramref name="leaf"/> to be in the tree with <paramref name="root"/> at the index given by its bits.</summary>
    public static void AssertMembership<T>(R1csBuilder<T> b, LinearCombination<T> root, LinearCombination<T> leaf,
        IReadOnlyList<LinearCombination<T>> indexBits, IReadOnlyList<LinearCombination<T>> siblings)
        where T : struct, IPrimeField<T> =>
        b.AssertEqual(ComputeRoot(b, leaf, indexBits, siblings), root);
}
