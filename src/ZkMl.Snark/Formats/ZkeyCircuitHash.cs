using System.Buffers.Binary;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// The circuit hash `snarkjs zkey new` stores in a .zkey's section 10 and `snarkjs zkey verify` recomputes from the .r1cs
/// and .ptau: BLAKE2b-512 over the initial key (δ = γ = 1) in snarkjs's uncompressed point encoding and order —
/// α₁, β₁, β₂, γ₂, δ₁, δ₂, then (big-endian u32 count, points) for IC, the H query's monomial differences
/// [τ^(i+n) − τ^i]₁, C, A, B₁ and B₂.
/// </summary>
internal static class ZkeyCircuitHash
{
    // zkey_new.js hashes the H differences in chunks of this many points, each chunk min(n − 1, Chunk) long.
    private const int Chunk = 1 << 14;

    /// <summary>The hash, or null when the ptau lacks monomial points the H part needs.</summary>
    public static byte[]? Compute(Ptau ptau, int n, G1Affine alpha1, G1Affine beta1, G2Affine beta2,
        G1Affine[] ic, G1Affine[] cInitial, G1Affine[] a, G1Affine[] b1, G2Affine[] b2)
    {
        var h = new Blake2b();
        h.Update(alpha1.ToUncompressed());
        h.Update(beta1.ToUncompressed());
        h.Update(beta2.ToUncompressed());
        h.Update(G2Affine.Generator.ToUncompressed());
        h.Update(G1Affine.Generator.ToUncompressed());
        h.Update(G2Affine.Generator.ToUncompressed());
        Points(h, ic);
        Count(h, n - 1);
        for (int i = 0; i < n - 1; i += Chunk)
        {
            var diff = ptau.TauDifferencesUncompressed(n, i, Math.Min(n - 1, Chunk));
            if (diff is null) return null;
            h.Update(diff);
        }
        Points(h, cInitial);
        Points(h, a);
        Points(h, b1);
        Count(h, b2.Length);
        var buf = new byte[G2Affine.UncompressedSize];
        foreach (var p in b2) { p.WriteUncompressed(buf); h.Update(buf); }
        return h.Digest();
    }

    private static void Points(Blake2b h, G1Affine[] points)
    {
        Count(h, points.Length);
        var buf = new byte[G1Affine.UncompressedSize];
        foreach (var p in points) { p.WriteUncompressed(buf); h.Update(buf); }
    }

    private static void Count(Blake2b h, int count)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)count);
        h.Update(b);
    }
}
