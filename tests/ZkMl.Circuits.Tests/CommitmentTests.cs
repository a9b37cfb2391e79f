using ZkMl.Circuits.Gadgets;
using ZkMl.Hashing;
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
        var c = b.PublicOutput(PoseidonCommitmentGadget.Commit(b, xs.Select(b.PrivateInput).ToArray(), b.PrivateInput(salt)));
        var built = b.Build();
        Assert.True(built.System.IsSatisfied(built.Witness));
        Assert.Equal(native, built.Witness[built.WireOf(c)]);
    }

    [Fact]
    public void MerklePathsVerifyInTheGadget()
    {
        var leaves = Enumerable.Range(0, 5).Select(i => V(100 + i)).ToArray();
        var tree = new PoseidonMerkleTree<F>(leaves);
        var p3 = tree.Path(3);
        var b = new R1csBuilder<F>();
        var root = b.PublicInput(tree.Root);
        var leaf = b.PrivateInput(leaves[3]);
        var bits = Enumerable.Range(0, 3).Select(d => b.PrivateInput(V((3 >> d) & 1))).ToArray();
        var sibs = p3.Siblings.Select(b.PrivateInput).ToArray();
        MerkleMembershipGadget.AssertMembership(b, root, leaf, bits, sibs);
        var built = b.Build();
        R1csBuilderTests.AssertEveryWireIsBound(built);

        // A wrong index (bits of 2) does not reach the root.
        var bad = new R1csBuilder<F>(strict: false);
        var badBits = Enumerable.Range(0, 3).Select(d => bad.PrivateInput(V((2 >> d) & 1))).ToArray();
        MerkleMembershipGadget.AssertMembership(bad, bad.PublicInput(tree.Root), bad.PrivateInput(leaves[3]), badBits,
            p3.Siblings.Select(bad.PrivateInput).ToArray());
        Assert.NotNull(bad.FirstFailure);
        var bb = bad.Build();
        Assert.False(bb.System.IsSatisfied(bb.Witness));
    }
}
