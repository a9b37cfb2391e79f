using ZkMl.Common;
using ZkMl.Field;

namespace ZkMl.Field.Tests;

public class RandomSourceTests
{
    [Fact]
    public void DefaultIsTheCsprngAndASeededScopeIsReproducibleAndEnds()
    {
        Assert.Same(RandomSource.Secure, RandomSource.Current);
        Assert.False(RandomSource.IsInsecure);
        Bn254Fr a, b;
        using (RandomSource.UseInsecureSeeded(7))
        {
            Assert.True(RandomSource.IsInsecure);
            a = FieldMath.RandomSecure<Bn254Fr>();
        }
        using (RandomSource.UseInsecureSeeded(7)) b = FieldMath.RandomSecure<Bn254Fr>();
        Assert.Equal(a, b);
        using (RandomSource.UseInsecureSeeded(8)) Assert.NotEqual(a, FieldMath.RandomSecure<Bn254Fr>());
        Assert.Same(RandomSource.Secure, RandomSource.Current);
        Assert.NotEqual(FieldMath.RandomSecure<Bn254Fr>(), FieldMath.RandomSecure<Bn254Fr>());
    }

    [Fact]
    public void StreamDoesNotDependOnHowItIsChunked()
    {
        var whole = new InsecureSeededRandom(3).GetBytes(100);
        var chunked = new InsecureSeededRandom(3);
        var parts = chunked.GetBytes(7).Concat(chunked.GetBytes(50)).Concat(chunked.GetBytes(43)).ToArray();
        Assert.Equal(whole, parts);
    }
}
