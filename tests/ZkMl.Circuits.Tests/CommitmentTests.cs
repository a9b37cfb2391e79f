using ZkMl.Circuits.Hashing;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Circuits.Tests;

public class CommitmentTests
{
    private static F V(long x) => SignedValues.FromInt64<F>(x);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(31)]
    public void CommitmentGadgetEqualsNative(int n)
    {
        var rng = new Random(n);
        var xs = Enumerable.Range(0, n).Select(_ => F.Random(rng)).ToArray();
        var salt = F.Random(rng);
        var native = PoseidonCommitment.Commit<F>(xs, salt);
        var b = new R1csBuilder<F>();
        var c = b.PublicOutput(PoseidonCommitment.Commit(b, xs.Select(b.PrivateInput).ToArray(), b.PrivateInput(salt)));
        var built = b.Build();
        Assert.True(built.System.IsSatisfied(built.Witness));
        Assert.Equal(native, built.Witness[built.WireOf(c)]);
    }

    [Fact]
    public void CommitmentBindsLengthOrderAndSalt()
    {
        F[] xs = [V(1), V(2), V(3)];
        var c = PoseidonCommitment.Commit<F>(xs, F.Zero);
        Assert.NotEqual(c, PoseidonCommitment.Commit<F>([V(1), V(2), V(3), F.Zero], F.Zero)); // zero padding is not free
        Assert.NotEqual(c, PoseidonCommitment.Commit<F>([V(2), V(1), V(3)], F.Zero));
        Assert.NotEqual(c, PoseidonCommitment.Commit<F>(xs, F.One));
    }

    [Fact]
    public void MerklePathsVerifyNativelyAndInTheGadget()
    {
        var leaves = Enumerable.Range(0, 5).Select(i => V(100 + i)).ToArray();
        var tree = new PoseidonMerkleTree<F>(leaves);
        Assert.Equal(3, tree.Depth);
        Assert.Equal(Poseidon.Hash(Poseidon.Hash(Poseidon.Hash(leaves[0], leaves[1]), Poseidon.Hash(leaves[2], leaves[3])),
            Poseidon.Hash(Poseidon.Hash(leaves[4], F.Zero), Poseidon.Hash(F.Zero, F.Zero))), tree.Root);
        for (int i = 0; i < leaves.Length; i++)
        {
            var path = tree.GetPath(i);
            Assert.True(PoseidonMerkleTree<F>.Verify(tree.Root, leaves[i], path));
            Assert.False(PoseidonMerkleTree<F>.Verify(tree.Root, leaves[i] + F.One, path));
            Assert.False(PoseidonMerkleTree<F>.Verify(tree.Root, leaves[i], path with { Index = i ^ 1 }));
        }

        var p3 = tree.GetPath(3);
        var b = new R1csBuilder<F>();
        var root = b.PublicInput(tree.Root);
        var leaf = b.PrivateInput(leaves[3]);
        var bits = Enumerable.Range(0, 3).Select(d => b.PrivateInput(V((3 >> d) & 1))).ToArray();
        var sibs = p3.Siblings.Select(b.PrivateInput).ToArray();
        PoseidonMerkleTree<F>.AssertMembership(b, root, leaf, bits, sibs);
        var built = b.Build();
        R1csBuilderTests.AssertEveryWireIsBound(built);

        // A wrong index (bits of 2) does not reach the root.
        var bad = new R1csBuilder<F>(strict: false);
        var badBits = Enumerable.Range(0, 3).Select(d => bad.PrivateInput(V((2 >> d) & 1))).ToArray();
        PoseidonMerkleTree<F>.AssertMembership(bad, bad.PublicInput(tree.Root), bad.PrivateInput(leaves[3]), badBits,
            p3.Siblings.Select(bad.PrivateInput).ToArray());
        Assert.NotNull(bad.FirstFailure);
        var bb = bad.Build();
        Assert.False(bb.System.IsSatisfied(bb.Witness));
    }
}
