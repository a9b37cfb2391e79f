using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Training.Contract;

/// <summary>
/// Injective mappings of a 32-byte digest (such as <see cref="TrainingContract.Digest"/>) into field elements, for use
/// as public inputs of proofs and in on-chain contracts. Both read the digest as big-endian limbs, so in Solidity
/// <c>hi = uint256(d) &gt;&gt; 128</c>, <c>lo = uint128(uint256(d))</c>.
/// </summary>
public static class ContractDigest
{
    /// <summary>Bytes in a digest.</summary>
    public const int Length = 32;

    /// <summary>
    /// Two BN254 scalars: hi = bytes[0..16) and lo = bytes[16..32), each read as an unsigned big-endian 128-bit integer
    /// (below 2^128 &lt; r, so no reduction happens and the map is injective).
    /// </summary>
    public static (Bn254Fr Hi, Bn254Fr Lo) ToBn254(ReadOnlySpan<byte> digest)
    {
        Check(digest);
        return (Bn254Fr.FromBigInteger(new BigInteger(digest[..16], isUnsigned: true, isBigEndian: true)),
                Bn254Fr.FromBigInteger(new BigInteger(digest[16..], isUnsigned: true, isBigEndian: true)));
    }

    /// <summary>
    /// Eight Goldilocks elements: limb i = bytes[4i..4i+4) read as an unsigned big-endian 32-bit integer
    /// (below 2^32 &lt; p, so the map is injective).
    /// </summary>
    public static Goldilocks[] ToGoldilocks(ReadOnlySpan<byte> digest)
    {
        Check(digest);
        var limbs = new Goldilocks[8];
        for (int i = 0; i < 8; i++) limbs[i] = Goldilocks.FromCanonical(BinaryPrimitives.ReadUInt32BigEndian(digest.Slice(4 * i, 4)));
        return limbs;
    }

    private static void Check(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != Length) throw new ArgumentException($"A digest is {Length} bytes, got {digest.Length}.", nameof(digest));
    }
}
