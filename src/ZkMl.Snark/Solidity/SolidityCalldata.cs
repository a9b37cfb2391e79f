using System.Text;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Solidity;

/// <summary>
/// The arguments of a Groth16 verifier's <c>verifyProof(uint256[2], uint256[2][2], uint256[2], uint256[n])</c> as text,
/// in the shape that <c>snarkjs zkey export soliditycalldata</c> (0.7.6) prints:
/// <c>["0xA.x", "0xA.y"],[["0xB.x1", "0xB.x0"],["0xB.y1", "0xB.y0"]],["0xC.x", "0xC.y"],["0xs_0",...]</c>,
/// 32-byte big-endian hex words, B's coordinates imaginary part first as Ethereum's pairing precompile expects.
/// </summary>
public static class SolidityCalldata
{
    /// <summary>The calldata text for <paramref name="proof"/> and its <paramref name="publicSignals"/> (no trailing newline).</summary>
    /// <remarks>A point at infinity is written as zero words, Ethereum's encoding of it (a valid Groth16 proof has none).</remarks>
    public static string Format(ReadOnlySpan<Bn254Fr> publicSignals, Groth16Proof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var a = Words(proof.A.ToUncompressed());
        var b = Words(proof.B.ToUncompressed());
        var c = Words(proof.C.ToUncompressed());
        var text = new StringBuilder();
        text.Append($"[{Quoted(a[0])}, {Quoted(a[1])}],");
        text.Append($"[[{Quoted(b[0])}, {Quoted(b[1])}],[{Quoted(b[2])}, {Quoted(b[3])}]],");
        text.Append($"[{Quoted(c[0])}, {Quoted(c[1])}],");
        text.Append('[');
        for (var i = 0; i < publicSignals.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(Quoted(Word(publicSignals[i])));
        }
        text.Append(']');
        return text.ToString();
    }

    /// <summary>0x and 64 lowercase hex digits: one EVM word, as snarkjs writes it.</summary>
    internal static string Word(ReadOnlySpan<byte> bigEndian32) => "0x" + Convert.ToHexStringLower(bigEndian32);

    /// <summary>The EVM word of a scalar.</summary>
    internal static string Word(Bn254Fr value)
    {
        var bytes = value.ToBigInteger().ToByteArray(isUnsigned: true, isBigEndian: true);
        Span<byte> word = stackalloc byte[32];
        bytes.CopyTo(word[(32 - bytes.Length)..]);
        return Word(word);
    }

    /// <summary>The 32-byte words of a point's Ethereum encoding (<see cref="G1Affine.ToUncompressed"/>, <see cref="G2Affine.ToUncompressed"/>).</summary>
    internal static string[] Words(byte[] encoding)
    {
        var words = new string[encoding.Length / 32];
        for (var i = 0; i < words.Length; i++) words[i] = Word(encoding.AsSpan(i * 32, 32));
        return words;
    }

    private static string Quoted(string word) => $"\"{word}\"";
}
