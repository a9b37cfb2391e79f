using System.Buffers.Binary;
using System.Globalization;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Groth16;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training.OnChain;

/// <summary>32-byte big-endian EVM words of the values the training-run contract takes, and ABI encoding of its calls.</summary>
internal static class EvmWords
{
    internal const int Size = 32;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The word of a canonical 32-byte BN254 scalar in the Groth16 backend's (little-endian) encoding.</summary>
    /// <exception cref="ArgumentException">The bytes are not a canonical scalar.</exception>
    internal static byte[] Scalar(ReadOnlySpan<byte> groth16Bytes, string what)
    {
        if (!Groth16Codec.TryReadFr(groth16Bytes, out _)) throw new ArgumentException($"{what} is not a canonical 32-byte BN254 scalar.");
        var word = groth16Bytes.ToArray();
        Array.Reverse(word);
        return word;
    }

    internal static byte[] Scalar(in Bn254Fr value)
    {
        var word = Groth16Codec.FrBytesOf(value);
        Array.Reverse(word);
        return word;
    }

    internal static byte[] UInt(ulong value)
    {
        var word = new byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(Size - 8), value);
        return word;
    }

    /// <summary>A 20-byte address given as 0x and 40 hex digits, left-padded to a word.</summary>
    /// <exception cref="ArgumentException">Not an address.</exception>
    internal static byte[] Address(string address, string what)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length != 42 || !address.StartsWith("0x", StringComparison.Ordinal)
            || address.AsSpan(2).ContainsAnyExcept(HexDigits))
            throw new ArgumentException($"{what} must be an address: 0x and 40 hex digits, got '{address}'.");
        var word = new byte[Size];
        Convert.FromHexString(address.AsSpan(2)).CopyTo(word, Size - 20);
        return word;
    }

    /// <summary>A proof's eight words: A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y (the verifier contract's order).</summary>
    internal static byte[][] Proof(Groth16Proof proof)
    {
        var encoding = new byte[2 * G1Affine.UncompressedSize + G2Affine.UncompressedSize];
        proof.A.WriteUncompressed(encoding);
        proof.B.WriteUncompressed(encoding.AsSpan(G1Affine.UncompressedSize));
        proof.C.WriteUncompressed(encoding.AsSpan(G1Affine.UncompressedSize + G2Affine.UncompressedSize));
        return Enumerable.Range(0, encoding.Length / Size).Select(i => encoding[(i * Size)..((i + 1) * Size)]).ToArray();
    }

    /// <summary>
    /// Calldata: the 4-byte selector, then the ABI encoding of the arguments. Each argument is a static run of words
    /// (<see cref="Static"/>) or a dynamic <c>bytes32[]</c> (<see cref="Dynamic"/>): its offset in the head, its length and
    /// words in the tail.
    /// </summary>
    internal static string Call(uint selector, params Argument[] arguments) => Hex(selector, Encode(arguments));

    /// <summary>Calldata of a function whose one parameter is a struct with dynamic members: the struct's offset (32), then its encoding.</summary>
    internal static string CallWithStruct(uint selector, params Argument[] members) => Hex(selector, [UInt(Size), .. Encode(members)]);

    private static List<byte[]> Encode(Argument[] arguments)
    {
        int head = arguments.Sum(a => a.IsDynamic ? 1 : a.Words.Count);
        var words = new List<byte[]>();
        var tail = new List<byte[]>();
        foreach (var a in arguments)
        {
            if (!a.IsDynamic) { words.AddRange(a.Words); continue; }
            words.Add(UInt((ulong)(Size * (head + tail.Count))));
            tail.Add(UInt((ulong)a.Words.Count));
            tail.AddRange(a.Words);
        }
        words.AddRange(tail);
        return words;
    }

    private static string Hex(uint selector, IEnumerable<byte[]> words)
    {
        var text = new System.Text.StringBuilder("0x");
        text.Append(selector.ToString("x8", CultureInfo.InvariantCulture));
        foreach (var w in words) text.Append(Convert.ToHexStringLower(w));
        return text.ToString();
    }

    internal static Argument Static(params byte[][] words) => new(words, false);

    internal static Argument Dynamic(IReadOnlyList<byte[]> words) => new(words, true);

    /// <summary>One ABI argument as words.</summary>
    internal sealed record Argument(IReadOnlyList<byte[]> Words, bool IsDynamic);
}
