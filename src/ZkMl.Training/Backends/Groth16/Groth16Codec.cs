using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Training.Backends.Groth16;

/// <summary>
/// Byte encodings of the Groth16 backend: scalars (32 bytes), the step proof (version byte, the compressed SGD-step and
/// membership proofs, the batch commitment) and the verifying keys (both as snarkjs JSON, length-prefixed).
/// </summary>
internal static class Groth16Codec
{
    internal const int FrBytes = 32;
    internal const int ProofSize = 1 + 2 * ProofBytes + FrBytes;
    private const byte FormatVersion = 1;
    private const int ProofBytes = G1Affine.CompressedSize * 2 + G2Affine.CompressedSize;
    private const string KeyFormat = "zkml-training-groth16-keys/1";

    internal static Bn254Fr ReadFr(ReadOnlySpan<byte> bytes, string what) =>
        TryReadFr(bytes, out var v) ? v : throw new ArgumentException($"{what} must be a canonical 32-byte BN254 scalar.");

    internal static bool TryReadFr(ReadOnlySpan<byte> bytes, out Bn254Fr value)
    {
        value = default;
        return bytes.Length == FrBytes && Bn254Fr.TryReadBytes(bytes, out value);
    }

    internal static byte[] FrBytesOf(in Bn254Fr v)
    {
        var b = new byte[FrBytes];
        v.WriteBytes(b);
        return b;
    }

    internal static byte[] EncodeStepProof(Groth16Proof step, Groth16Proof membership, in Bn254Fr batchCommitment)
    {
        var bytes = new byte[ProofSize];
        bytes[0] = FormatVersion;
        WriteProof(step, bytes.AsSpan(1, ProofBytes));
        WriteProof(membership, bytes.AsSpan(1 + ProofBytes, ProofBytes));
        batchCommitment.WriteBytes(bytes.AsSpan(1 + 2 * ProofBytes, FrBytes));
        return bytes;
    }

    internal static bool TryDecodeStepProof(ReadOnlySpan<byte> proof, out Groth16Proof step, out Groth16Proof membership, out Bn254Fr batchCommitment)
    {
        step = membership = null!;
        batchCommitment = default;
        return proof.Length == ProofSize && proof[0] == FormatVersion
            && TryReadProof(proof.Slice(1, ProofBytes), out step)
            && TryReadProof(proof.Slice(1 + ProofBytes, ProofBytes), out membership)
            && TryReadFr(proof.Slice(1 + 2 * ProofBytes, FrBytes), out batchCommitment);
    }

    private static void WriteProof(Groth16Proof p, Span<byte> d)
    {
        p.A.WriteCompressed(d);
        p.B.WriteCompressed(d[G1Affine.CompressedSize..]);
        p.C.WriteCompressed(d[(G1Affine.CompressedSize + G2Affine.CompressedSize)..]);
    }

    private static bool TryReadProof(ReadOnlySpan<byte> s, out Groth16Proof proof)
    {
        proof = null!;
        if (!G1Affine.TryReadCompressed(s[..G1Affine.CompressedSize], out var a)) return false;
        if (!G2Affine.TryReadCompressed(s.Slice(G1Affine.CompressedSize, G2Affine.CompressedSize), out var b)) return false;
        if (!G1Affine.TryReadCompressed(s.Slice(G1Affine.CompressedSize + G2Affine.CompressedSize, G1Affine.CompressedSize), out var c)) return false;
        proof = new Groth16Proof(a, b, c);
        return true;
    }
}
