using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// snarkjs's <c>hashToG2</c> (keypair.js): a G2 point drawn by ffjavascript's ChaCha20 generator seeded with the first
/// 32 bytes of a transcript hash (big-endian words). A contribution proves knowledge of its secret against this point, so
/// a record we write must derive it bit for bit as snarkjs does.
/// </summary>
internal static class SnarkjsHashToG2
{
    public static G2Affine Hash(ReadOnlySpan<byte> transcript) => new SnarkjsChaCha(transcript).NextG2();
}
