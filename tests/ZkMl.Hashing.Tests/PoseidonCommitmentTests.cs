using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Hashing.Tests;

public class PoseidonCommitmentTests
{
    private static F V(long x) => F.FromUInt64((ulong)x);

    [Fact]
    public void CommitmentBindsLengthOrderAndSalt()
    {
        F[] xs = [V(1), V(2), V(3)];
        var c = PoseidonCommitment.Commit<F>(xs, F.Zero);
        Assert.NotEqual(c, PoseidonCommitment.Commit<F>([V(1), V(2), V(3), F.Zero], F.Zero)); // zero padding is not free
        Assert.NotEqual(c, PoseidonCommitment.Commit<F>([V(2), V(1), V(3)], F.Zero));
        Assert.NotEqual(c, PoseidonCommitment.Commit<F>(xs, F.One));
    }
}
