using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>Bn254Fq/Fr.InverseVartime (binary almost-inverse) against Fermat's Inverse.</summary>
public class InverseVartimeTests
{
    [Property(MaxTest = 300)]
    public void FqMatchesFermat(int seed)
    {
        var rng = new Random(seed);
        var a = Bn254Fq.Random(rng);
        if (a.IsZero) return;
        Assert.Equal(Bn254Fq.Inverse(a), Bn254Fq.InverseVartime(a));
    }

    [Property(MaxTest = 300)]
    public void FrMatchesFermat(int seed)
    {
        var rng = new Random(seed);
        var a = Bn254Fr.Random(rng);
        if (a.IsZero) return;
        Assert.Equal(Bn254Fr.Inverse(a), Bn254Fr.InverseVartime(a));
    }

    [Fact]
    public void EdgeValues()
    {
        // 1, 2, -1, -2, small values and powers of two: the runs of zero bits the shifts take at once.
        var values = new List<Bn254Fq> { Bn254Fq.One, -Bn254Fq.One, Bn254Fq.FromUInt64(2), -Bn254Fq.FromUInt64(2), Bn254Fq.FromUInt64(3) };
        var power = Bn254Fq.One;
        for (int i = 0; i < 260; i++) { values.Add(power); values.Add(-power); power += power; }
        foreach (var a in values) Assert.Equal(Bn254Fq.Inverse(a), Bn254Fq.InverseVartime(a));
        Assert.Equal(Bn254Fr.Inverse(-Bn254Fr.One), Bn254Fr.InverseVartime(-Bn254Fr.One));
        Assert.Throws<DivideByZeroException>(() => Bn254Fq.InverseVartime(Bn254Fq.Zero));
    }
}
