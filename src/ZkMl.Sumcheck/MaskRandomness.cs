using System.Security.Cryptography;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The prover's private randomness for hiding: the operating system's cryptographic generator, or a caller's
/// <see cref="Random"/> (tests only: a seeded generator makes the masks reproducible and therefore not hiding).
/// </summary>
internal sealed class MaskRandomness(Random? random)
{
    /// <summary>A uniform base-field element.</summary>
    public Goldilocks NextBase()
    {
        if (random is not null) return Goldilocks.Random(random);
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            ulong v = BitConverter.ToUInt64(bytes);
            if (v < Goldilocks.P) return Goldilocks.FromCanonical(v);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniform base-field elements.</summary>
    public void Fill(Span<Goldilocks> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = NextBase();
    }

    /// <summary>Fills <paramref name="destination"/> with uniform bytes.</summary>
    public void Fill(Span<byte> destination)
    {
        if (random is null) RandomNumberGenerator.Fill(destination);
        else random.NextBytes(destination);
    }
}
