using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Stark.Fri;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Tests;

public class PropertyTests
{
    private static Blake3MerkleTree Tree(int leaves, int seed)
    {
        var data = new byte[leaves * 8];
        new Random(seed).NextBytes(data);
        return new Blake3MerkleTree(leaves, 8, (first, count, dst) => data.AsSpan(first * 8, count * 8).CopyTo(dst));
    }

    private static byte[] Leaf(Blake3MerkleTree _, int seed, int leaves, int i)
    {
        var data = new byte[leaves * 8];
        new Random(seed).NextBytes(data);
        var d = new byte[32];
        Blake3.Hasher.Hash(data.AsSpan(i * 8, 8), d);
        return d;
    }

    [Property(MaxTest = 60)]
    public bool MerkleMultiProofOpensAnySubset(PositiveInt seed, NonEmptyArray<PositiveInt> picks, byte logLeaves)
    {
        int leaves = 1 << (logLeaves % 9);
        var tree = Tree(leaves, seed.Get);
        var idx = picks.Get.Select(p => p.Get % leaves).Distinct().Order().ToArray();
        var proof = tree.Open(idx);
        var digests = idx.Select(i => Leaf(tree, seed.Get, leaves, i)).ToList();
        bool ok = Blake3MerkleTree.Verify(tree.Root, leaves, idx, digests, proof);
        // Any single-bit change in a leaf digest or a proof digest breaks it.
        digests[0] = (byte[])digests[0].Clone();
        digests[0][0] ^= 1;
        bool tampered = Blake3MerkleTree.Verify(tree.Root, leaves, idx, digests, proof);
        return ok && !tampered;
    }

    [Property(MaxTest = 40)]
    public bool FriLeafFoldingMatchesLayerFolding(PositiveInt seed, byte logK)
    {
        int k = 1 << (1 + logK % 4);
        int size = 16 * k;
        var rng = new Random(seed.Get);
        var values = Enumerable.Range(0, size).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var beta = GoldilocksExt2.Random(rng);
        var shift = Goldilocks.MultiplicativeGenerator;
        var folded = FriFolding.FoldLayer(values, shift, k, beta);
        int leaves = size / k;
        var zeta = Goldilocks.RootOfUnity(System.Numerics.BitOperations.Log2((uint)k));
        for (int i = 0; i < leaves; i++)
        {
            var leaf = Enumerable.Range(0, k).Select(t => values[i + t * leaves]).ToArray();
            var x = StarkLayout.DomainPoint(shift, System.Numerics.BitOperations.Log2((uint)size), i);
            if (FriFolding.FoldLeaf(leaf, x, zeta, beta) != folded[i]) return false;
        }
        return true;
    }

    [Property(MaxTest = 20)]
    public bool FoldingALowDegreePolynomialLowersItsDegree(PositiveInt seed)
    {
        // Evaluations of a degree < 16 polynomial on a coset of 256 fold (k = 4) to a degree < 4 polynomial on 64 points.
        var rng = new Random(seed.Get);
        var c0 = new Goldilocks[256];
        var c1 = new Goldilocks[256];
        for (int i = 0; i < 16; i++) { c0[i] = Goldilocks.Random(rng); c1[i] = Goldilocks.Random(rng); }
        var shift = Goldilocks.MultiplicativeGenerator;
        Ntt<Goldilocks>.Instance.CosetForward(c0, shift);
        Ntt<Goldilocks>.Instance.CosetForward(c1, shift);
        var values = Enumerable.Range(0, 256).Select(i => new GoldilocksExt2(c0[i], c1[i])).ToArray();
        var folded = FriFolding.FoldLayer(values, shift, 4, GoldilocksExt2.Random(rng));
        var f0 = folded.Select(v => v.C0).ToArray();
        var f1 = folded.Select(v => v.C1).ToArray();
        var s4 = FieldMath.Pow(shift, 4UL);
        Ntt<Goldilocks>.Instance.CosetInverse(f0, s4);
        Ntt<Goldilocks>.Instance.CosetInverse(f1, s4);
        return f0.Skip(4).All(v => v.IsZero) && f1.Skip(4).All(v => v.IsZero);
    }
}
