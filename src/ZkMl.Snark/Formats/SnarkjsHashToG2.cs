using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// snarkjs's <c>hashToG2</c> (keypair.js): a G2 point drawn by ffjavascript's ChaCha20 generator seeded with the first
/// 32 bytes of a transcript hash (big-endian words). A phase-2 contribution proves knowledge of δ against this point, so
/// a contribution record we write must derive it bit for bit as snarkjs does (wasm field draws are Montgomery limbs).
/// </summary>
internal static class SnarkjsHashToG2
{
    // ffjavascript's bn128 G2 cofactor (2q - r).
    private static readonly BigInteger Cofactor = BigInteger.Parse("030644e72e131a029b85045b68181585e06ceecda572a2489345f2299c0f9fa8d", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger Mask = (BigInteger.One << 254) - 1;
    private static readonly BigInteger HalfQ = (Bn254Fq.Modulus - 1) / 2;

    public static G2Affine Hash(ReadOnlySpan<byte> transcript)
    {
        Span<uint> seed = stackalloc uint[8];
        for (int i = 0; i < 8; i++) seed[i] = BinaryPrimitives.ReadUInt32BigEndian(transcript[(4 * i)..]);
        var rng = new ChaCha(seed);
        Fq2 x, y;
        bool greatest;
        while (true)
        {
            x = new Fq2(NextFq(rng), NextFq(rng));
            greatest = (rng.NextU32() & 1) == 1;
            if (Fq2.TrySqrt(x * x * x + G2Affine.B, out y)) break;
        }
        if (IsNegative(y) != greatest) y = -y;
        return new G2Affine(x, y).ToProjective().Multiply(Cofactor).ToAffine();
    }

    private static bool IsNegative(in Fq2 a) => a.C1.IsZero ? a.C0.ToBigInteger() > HalfQ : a.C1.ToBigInteger() > HalfQ;

    private static Bn254Fq NextFq(ChaCha rng)
    {
        while (true)
        {
            BigInteger v = BigInteger.Zero;
            for (int i = 0; i < 4; i++)
            {
                ulong hi = rng.NextU32(), lo = rng.NextU32();
                v += new BigInteger((hi << 32) | lo) << (64 * i);
            }
            v &= Mask;
            if (v >= Bn254Fq.Modulus) continue;
            Span<byte> b = stackalloc byte[32];
            v.TryWriteBytes(b, out _, isUnsigned: true);
            LemCodec.TryReadFqMontgomery(b, out var value);
            return value;
        }
    }

    /// <summary>ffjavascript's ChaCha: 20 rounds over (constants, 8 seed words, 4-word block counter), 16 words per block.</summary>
    private sealed class ChaCha
    {
        private readonly uint[] _state = new uint[16];
        private readonly uint[] _buffer = new uint[16];
        private int _index = 16;

        public ChaCha(ReadOnlySpan<uint> seed)
        {
            _state[0] = 0x61707865; _state[1] = 0x3320646E; _state[2] = 0x79622D32; _state[3] = 0x6B206574;
            seed.CopyTo(_state.AsSpan(4));
        }

        public uint NextU32()
        {
            if (_index == 16) Update();
            return _buffer[_index++];
        }

        private void Update()
        {
            _state.CopyTo(_buffer, 0);
            for (int i = 0; i < 10; i++)
            {
                Quarter(0, 4, 8, 12); Quarter(1, 5, 9, 13); Quarter(2, 6, 10, 14); Quarter(3, 7, 11, 15);
                Quarter(0, 5, 10, 15); Quarter(1, 6, 11, 12); Quarter(2, 7, 8, 13); Quarter(3, 4, 9, 14);
            }
            for (int i = 0; i < 16; i++) _buffer[i] += _state[i];
            _index = 0;
            for (int i = 12; i < 16 && ++_state[i] == 0; i++) { }
        }

        private void Quarter(int a, int b, int c, int d)
        {
            var s = _buffer;
            s[a] += s[b]; s[d] = BitOperations.RotateLeft(s[d] ^ s[a], 16);
            s[c] += s[d]; s[b] = BitOperations.RotateLeft(s[b] ^ s[c], 12);
            s[a] += s[b]; s[d] = BitOperations.RotateLeft(s[d] ^ s[a], 8);
            s[c] += s[d]; s[b] = BitOperations.RotateLeft(s[b] ^ s[c], 7);
        }
    }
}
