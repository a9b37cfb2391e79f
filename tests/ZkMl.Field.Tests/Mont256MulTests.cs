using System.Numerics;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>
/// The unsaturated 5x52-bit Montgomery product (<see cref="Mont256.Mul"/>) against the 4x64 CIOS form
/// (<see cref="Mont256.MulCios"/>) and BigInteger, for both BN254 moduli: the canonical product for any a below 2^256
/// (edges near 2^256, p and the digit boundaries 2^52k included) and b below p, bit-identical to CIOS where CIOS is
/// defined (a below 4p). The unsaturated square (<see cref="Mont256.Square"/>) likewise against
/// <see cref="Mont256.SquareCios"/> and BigInteger for a below p.
/// </summary>
[Properties(Arbitrary = [typeof(FieldArbitraries)], MaxTest = 1000)]
public sealed class Mont256MulTests
{
    private static readonly BigInteger Two256 = BigInteger.One << 256;

    /// <summary>Edge values for the first operand (any 256-bit value is allowed there).</summary>
    private static BigInteger[] EdgesA(BigInteger p) =>
    [
        0, 1, 2, p - 1, p - 2, p, p + 1, 2 * p - 1, Two256 - 1, Two256 - 2, Two256 - (BigInteger.One << 64),
        Two256 - p, (BigInteger.One << 255), (BigInteger.One << 254) - 1, (BigInteger.One << 52) - 1, BigInteger.One << 52,
        (BigInteger.One << 104) - 1, (BigInteger.One << 208) - 1, BigInteger.One << 208, (BigInteger.One << 248) - 1,
        ulong.MaxValue, (BigInteger.One << 128) - 1,
    ];

    /// <summary>Edge values for the second operand (below p).</summary>
    private static BigInteger[] EdgesB(BigInteger p) =>
    [
        0, 1, 2, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2, (BigInteger.One << 52) - 1, BigInteger.One << 52,
        (BigInteger.One << 64) - 1, (BigInteger.One << 208) - 1, BigInteger.One << 208, (BigInteger.One << 253) - 1,
        p - (BigInteger.One << 64), p - (BigInteger.One << 208),
    ];

    private static void Split(BigInteger v, out ulong l0, out ulong l1, out ulong l2, out ulong l3) =>
        Mont256.FromBigInteger(v, out l0, out l1, out l2, out l3);

    private static void Check<TConfig>(BigInteger a, BigInteger b) where TConfig : struct, IMont256Config
    {
        BigInteger p = TConfig.Modulus;
        BigInteger rInverse = BigInteger.ModPow(Two256 % p, p - 2, p);
        Split(a, out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        Split(b, out ulong b0, out ulong b1, out ulong b2, out ulong b3);
        Mont256.Mul(a0, a1, a2, a3, b0, b1, b2, b3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        Mont256.MulCios(a0, a1, a2, a3, b0, b1, b2, b3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv,
            out ulong c0, out ulong c1, out ulong c2, out ulong c3);
        BigInteger expected = a * b * rInverse % p;
        Assert.True(Mont256.ToBigInteger(r0, r1, r2, r3) == expected, $"{TConfig.Name}: 0x{a:x} * 0x{b:x}");
        // The CIOS form's carry-free top limb holds for a < 4p only (MulLazy's range); beyond it only BigInteger judges.
        if (a < 4 * p) Assert.Equal((c0, c1, c2, c3), (r0, r1, r2, r3));
    }

    private static BigInteger BelowTwo256(Operand o, BigInteger p) =>
        o.Edge < Operand.EdgeCount ? EdgesA(p)[o.Edge % EdgesA(p).Length] : o.Raw % Two256;

    private static BigInteger BelowP(Operand o, BigInteger p) =>
        o.Edge < Operand.EdgeCount ? EdgesB(p)[o.Edge % EdgesB(p).Length] : o.Raw % p;

    [Property]
    public void FrProductMatchesCiosAndBigInteger(Operand a, Operand b) =>
        Check<Bn254Fr.Config>(BelowTwo256(a, Bn254Fr.Modulus), BelowP(b, Bn254Fr.Modulus));

    [Property]
    public void FqProductMatchesCiosAndBigInteger(Operand a, Operand b) =>
        Check<Bn254Fq.Config>(BelowTwo256(a, Bn254Fq.Modulus), BelowP(b, Bn254Fq.Modulus));

    [Fact]
    public void EveryEdgePairMatches()
    {
        foreach (BigInteger a in EdgesA(Bn254Fr.Modulus))
            foreach (BigInteger b in EdgesB(Bn254Fr.Modulus))
                Check<Bn254Fr.Config>(a, b);
        foreach (BigInteger a in EdgesA(Bn254Fq.Modulus))
            foreach (BigInteger b in EdgesB(Bn254Fq.Modulus))
                Check<Bn254Fq.Config>(a, b);
    }

    private static void CheckSquare<TConfig>(BigInteger a) where TConfig : struct, IMont256Config
    {
        BigInteger p = TConfig.Modulus;
        BigInteger rInverse = BigInteger.ModPow(Two256 % p, p - 2, p);
        Split(a, out ulong a0, out ulong a1, out ulong a2, out ulong a3);
        Mont256.Square(a0, a1, a2, a3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        Mont256.SquareCios(a0, a1, a2, a3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv,
            out ulong c0, out ulong c1, out ulong c2, out ulong c3);
        Assert.True(Mont256.ToBigInteger(r0, r1, r2, r3) == a * a * rInverse % p, $"{TConfig.Name}: square of 0x{a:x}");
        Assert.Equal((c0, c1, c2, c3), (r0, r1, r2, r3));
    }

    [Property]
    public void FrSquareMatchesCiosAndBigInteger(Operand a) => CheckSquare<Bn254Fr.Config>(BelowP(a, Bn254Fr.Modulus));

    [Property]
    public void FqSquareMatchesCiosAndBigInteger(Operand a) => CheckSquare<Bn254Fq.Config>(BelowP(a, Bn254Fq.Modulus));

    [Fact]
    public void EverySquareEdgeMatches()
    {
        foreach (BigInteger a in EdgesB(Bn254Fr.Modulus)) CheckSquare<Bn254Fr.Config>(a);
        foreach (BigInteger a in EdgesB(Bn254Fq.Modulus)) CheckSquare<Bn254Fq.Config>(a);
    }

    /// <summary>The public types go through the new product: Mul agrees with BigInteger on reduced elements.</summary>
    [Property]
    public void PublicMulMatchesBigInteger(Operand a, Operand b)
    {
        BigInteger x = a.Resolve(Bn254Fr.Modulus), y = b.Resolve(Bn254Fr.Modulus);
        Assert.Equal(x * y % Bn254Fr.Modulus, Bn254Fr.Mul(Bn254Fr.FromBigInteger(x), Bn254Fr.FromBigInteger(y)).ToBigInteger());
        BigInteger u = a.Resolve(Bn254Fq.Modulus), v = b.Resolve(Bn254Fq.Modulus);
        Assert.Equal(u * v % Bn254Fq.Modulus, Bn254Fq.Mul(Bn254Fq.FromBigInteger(u), Bn254Fq.FromBigInteger(v)).ToBigInteger());
        Assert.Equal(x * x % Bn254Fr.Modulus, Bn254Fr.Square(Bn254Fr.FromBigInteger(x)).ToBigInteger());
        Assert.Equal(u * u % Bn254Fq.Modulus, Bn254Fq.Square(Bn254Fq.FromBigInteger(u)).ToBigInteger());
    }
}
