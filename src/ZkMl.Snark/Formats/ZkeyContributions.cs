using System.Buffers.Binary;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Formats;

/// <summary>
/// Section 10 of a Groth16 .zkey, snarkjs's "MPC params": the circuit hash (BLAKE2b-512 of the initial key, see
/// <see cref="ZkeyCircuitHash"/>) and the phase-2 contributions, each a proof of knowledge of its δ factor
/// (deltaAfter, [s]₁, [s·δ]₁, [sp·δ]₂ with sp = hashToG2(transcript), transcript, type, parameters).
/// `snarkjs zkey verify` replays them from δ = 1, so the key's [δ]₁ must equal the last deltaAfter.
/// Kept as the validated section bytes, so a key read and written again keeps its ceremony record unchanged.
/// </summary>
internal sealed class ZkeyContributions
{
    private const int MinContributionSize = 3 * LemCodec.G1Size + LemCodec.G2Size + 64 + 4 + 4;

    private ZkeyContributions(byte[] bytes, int count) { Bytes = bytes; Count = count; }

    /// <summary>The whole section, as written.</summary>
    public byte[] Bytes { get; }

    /// <summary>Number of recorded contributions.</summary>
    public int Count { get; }

    /// <summary>The circuit hash snarkjs recomputes from the .r1cs and .ptau.</summary>
    public ReadOnlySpan<byte> CircuitHash => Bytes.AsSpan(0, 64);

    /// <summary>Section 10 of <paramref name="file"/>, or null when it has none (then nothing is attested).</summary>
    public static ZkeyContributions? Read(BinFile file)
    {
        if (!file.Has(10)) return null;
        return Parse(file.ReadSection(10), $"{file.Path}: contributions section");
    }

    /// <summary>Checks the section's structure and points (G1 on the curve, G2 in the subgroup).</summary>
    public static ZkeyContributions Parse(byte[] bytes, string what)
    {
        var r = new SectionReader(bytes, what);
        r.Take(64);
        uint count = r.U32();
        if ((ulong)count * MinContributionSize > (ulong)r.Remaining)
            throw new SnarkFormatException($"{what}: {count} contributions cannot fit in {r.Remaining} bytes");
        for (uint i = 0; i < count; i++)
        {
            for (int k = 0; k < 3; k++)
                if (!LemCodec.TryReadG1(r.Take(LemCodec.G1Size), out var p) || !p.IsOnCurve)
                    throw new SnarkFormatException($"{what}: contribution {i} holds an invalid G1 point");
            if (!LemCodec.TryReadG2(r.Take(LemCodec.G2Size), out var q) || !q.IsInSubgroup)
                throw new SnarkFormatException($"{what}: contribution {i} holds a G2 point outside the order-r subgroup");
            r.Take(64 + 4);
            r.Take(checked((int)Math.Min(r.U32(), int.MaxValue)));
        }
        if (r.Remaining != 0) throw new SnarkFormatException($"{what}: {r.Remaining} unexpected trailing bytes");
        return new ZkeyContributions(bytes, (int)count);
    }

    /// <summary>The record of a key with no contribution yet (δ = 1), as `snarkjs groth16 setup` writes it.</summary>
    public static ZkeyContributions Initial(ReadOnlySpan<byte> circuitHash)
    {
        var bytes = new byte[68];
        circuitHash.CopyTo(bytes);
        return new ZkeyContributions(bytes, 0);
    }

    /// <summary>
    /// The record of one contribution multiplying δ = 1 by <paramref name="delta"/>, as `snarkjs zkey contribute` writes it:
    /// transcript = BLAKE2b(circuit hash ‖ [s]₁ ‖ [s·δ]₁) in snarkjs's uncompressed encoding, [sp·δ]₂ for sp = hashToG2(transcript).
    /// </summary>
    public static ZkeyContributions SingleContribution(ReadOnlySpan<byte> circuitHash, in Bn254Fr delta)
    {
        var s = Groth16Prover.RandomNonZeroScalar();
        var g1S = G1Affine.Generator.ToProjective().MultiplyConstantTime(s).ToAffine();
        var g1Sx = g1S.ToProjective().MultiplyConstantTime(delta).ToAffine();
        var hasher = new Blake2b();
        hasher.Update(circuitHash);
        hasher.Update(g1S.ToUncompressed());
        hasher.Update(g1Sx.ToUncompressed());
        var transcript = hasher.Digest();
        var g2Spx = SnarkjsHashToG2.Hash(transcript).ToProjective().MultiplyConstantTime(delta).ToAffine();
        var deltaAfter = G1Affine.Generator.ToProjective().MultiplyConstantTime(delta).ToAffine();

        var bytes = new byte[68 + MinContributionSize];
        circuitHash.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(64), 1);
        var span = bytes.AsSpan(68);
        LemCodec.WriteG1(deltaAfter, span); span = span[LemCodec.G1Size..];
        LemCodec.WriteG1(g1S, span); span = span[LemCodec.G1Size..];
        LemCodec.WriteG1(g1Sx, span); span = span[LemCodec.G1Size..];
        LemCodec.WriteG2(g2Spx, span); span = span[LemCodec.G2Size..];
        transcript.CopyTo(span); // then type 0 (a random contribution) and no parameters: zero words
        return new ZkeyContributions(bytes, 1);
    }
}
