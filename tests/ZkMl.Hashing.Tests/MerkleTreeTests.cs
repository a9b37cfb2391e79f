using ZkMl.Field;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Hashing.Tests;

public class MerkleTreeTests
{
    private static F V(long x) => F.FromUInt64((ulong)x);

    [Fact]
    public void PoseidonPathsVerify()
    {
        var leaves = Enumerable.Range(0, 5).Select(i => V(100 + i)).ToArray();
        var tree = new PoseidonMerkleTree<F>(leaves);
        Assert.Equal(3, tree.Depth);
        Assert.Equal(Poseidon.Hash(Poseidon.Hash(Poseidon.Hash(leaves[0], leaves[1]), Poseidon.Hash(leaves[2], leaves[3])),
            Poseidon.Hash(Poseidon.Hash(leaves[4], F.Zero), Poseidon.Hash(F.Zero, F.Zero))), tree.Root);
        for (int i = 0; i < leaves.Length; i++)
        {
            var path = tree.Path(i);
            Assert.True(PoseidonMerkleTree<F>.Verify(tree.Root, leaves[i], path));
            Assert.False(PoseidonMerkleTree<F>.Verify(tree.Root, leaves[i] + F.One, path));
            Assert.False(PoseidonMerkleTree<F>.Verify(tree.Root, leaves[i], path with { Index = i ^ 1 }));
        }
    }

    [Fact]
    public void EveryTreeGivesOneLeafDepthZeroAndItsLeafAsRoot()
    {
        var fr = new PoseidonMerkleTree<F>([V(7)]);
        Assert.Equal((0, V(7)), (fr.Depth, fr.Root));
        Assert.True(PoseidonMerkleTree<F>.Verify(fr.Root, V(7), fr.Path(0)));

        Goldilocks[] g = [Goldilocks.FromUInt64(1), Goldilocks.FromUInt64(2), Goldilocks.FromUInt64(3), Goldilocks.FromUInt64(4)];
        var gl = new GoldilocksMerkleTree([g]);
        Assert.Equal(0, gl.Depth);
        Assert.Equal(g, gl.Root);
        Assert.True(GoldilocksMerkleTree.Verify(gl.Root, g, gl.Path(0)));

        var data = new byte[8];
        var b3 = new Blake3MerkleTree(1, 8, (first, count, dst) => data.CopyTo(dst));
        var leaf = new byte[32];
        Blake3.Hasher.Hash(data, leaf);
        Assert.Equal(0, b3.Depth);
        Assert.Equal(leaf, b3.Root);
        Assert.True(Blake3MerkleTree.Verify(b3.Root, leaf, b3.Path(0)));
        Assert.Equal(0, MerkleTree.DepthFor(1));
        Assert.Equal(3, MerkleTree.DepthFor(6));
    }

    [Fact]
    public void GoldilocksAndBlake3PathsVerify()
    {
        var leaves = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 4).Select(j => Goldilocks.FromUInt64((ulong)(10 * i + j))).ToArray()).ToArray();
        var gl = new GoldilocksMerkleTree(leaves);
        Assert.Equal(3, gl.Depth);
        for (int i = 0; i < leaves.Length; i++)
        {
            Assert.True(GoldilocksMerkleTree.Verify(gl.Root, leaves[i], gl.Path(i)));
            Assert.False(GoldilocksMerkleTree.Verify(gl.Root, leaves[i], gl.Path(i) with { Index = i ^ 1 }));
        }

        var data = new byte[8 * 8];
        new Random(3).NextBytes(data);
        var b3 = new Blake3MerkleTree(8, 8, (first, count, dst) => data.AsSpan(8 * first, 8 * count).CopyTo(dst));
        Assert.Equal(3, b3.Depth);
        for (int i = 0; i < 8; i++)
        {
            var leaf = new byte[32];
            Blake3.Hasher.Hash(data.AsSpan(8 * i, 8), leaf);
            Assert.True(Blake3MerkleTree.Verify(b3.Root, leaf, b3.Path(i)));
            Assert.False(Blake3MerkleTree.Verify(b3.Root, leaf, b3.Path(i) with { Index = i ^ 1 }));
        }
    }
}
