using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace ZkMl.Field.Tests;

/// <summary>
/// A field operand description independent of the field: either an edge value (resolved against the modulus) or
/// a raw 256-bit integer that is reduced mod p. Shown in failure reports so counterexamples are readable.
/// </summary>
public readonly record struct Operand(int Edge, BigInteger Raw)
{
    public const int EdgeCount = 18;

    /// <summary>The integer in [0, p) this operand stands for.</summary>
    public BigInteger Resolve(BigInteger p)
    {
        BigInteger v = Edge switch
        {
            0 => 0,
            1 => 1,
            2 => 2,
            3 => p - 1,
            4 => p - 2,
            5 => (p - 1) / 2,
            6 => (p + 1) / 2,
            7 => (BigInteger.One << 64) - 1,
            8 => BigInteger.One << 64,
            9 => (BigInteger.One << 64) + 1,
            10 => (BigInteger.One << 32) - 1,
            11 => BigInteger.One << 32,
            12 => BigInteger.One << 63,
            13 => (BigInteger.One << 128) - 1,
            14 => BigInteger.One << 128,
            15 => (BigInteger.One << 128) + 1,
            16 => (BigInteger.One << 192) - 1,
            17 => p - (BigInteger.One << 64),
            _ => Raw,
        };
        v %= p;
        return v < 0 ? v + p : v;
    }

    public override string ToString() => Edge < EdgeCount ? $"edge#{Edge}" : $"0x{Raw:x}";
}

public static class FieldArbitraries
{
    private static readonly Gen<BigInteger> Raw256 =
        Gen.ArrayOf(Gen.Choose(0, 0xFFFF), 16).Select(words =>
        {
            BigInteger v = 0;
            foreach (int w in words) v = (v << 16) | w;
            return v;
        });

    public static Arbitrary<Operand> Operand() =>
        Gen.Frequency(
            (1, Gen.Choose(0, Tests.Operand.EdgeCount - 1).Select(e => new Operand(e, 0))),
            (3, Raw256.Select(r => new Operand(Tests.Operand.EdgeCount, r))))
        .ToArbitrary();
}
