using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// ffjavascript's ChaCha20 generator and the field and curve draws snarkjs makes from it (wasm fields: the drawn limbs are
/// taken as Montgomery form). A beacon contribution is reproducible only when every draw matches snarkjs bit for bit, and
/// snarkjs's verify recomputes a beacon's key this way.
/// </summary>
internal sealed class SnarkjsChaCha
{
    private static readonly BigInteger Mask = (BigInteger.One << 254) - 1;
    private static readonly BigInteger HalfQ = (Bn254Fq.Modulus - 1) / 2;
    // ffjavascript's bn128 G2 cofactor (2q - r); G1 has none.
    private static readonly BigInteger G2Cofactor = BigInteger.Parse("030644e72e131a029b85045b68181585e06ceecda572a2489345f2299c0f9fa8d", System.Globalization.NumberStyles.HexNumber);

    private readonly uint[] _state = new uint[16];
    private readonly uint[] _buffer = new uint[16];
    private int _index = 16;

    /// <summary>A generator seeded with the first 32 bytes of <paramref name="seed"/> read as eight big-endian words.</summary>
    public SnarkjsChaCha(ReadOnlySpan<byte> seed)
    {
        if (seed.Length < 32) throw new ArgumentException("A ChaCha seed needs 32 bytes.", nameof(seed));
        _state[0] = 0x61707865; _state[1] = 0x3320646E; _state[2] = 0x79622D32; _state[3] = 0x6B206574;
        for (int i = 0; i < 8; i++) _state[4 + i] = BinaryPrimitives.ReadUInt32BigEndian(seed[(4 * i)..]);
    }

    /// <summary>snarkjs's <c>getRandomRng</c>: BLAKE2b(64 bytes from the OS CSPRNG ‖ UTF-8 entropy) seeds the generator.</summary>
    public static SnarkjsChaCha FromEntropy(string? entropy)
    {
        var h = new Blake2b();
        h.Update(RandomNumberGenerator.GetBytes(64));
        h.Update(Encoding.UTF8.GetBytes(entropy ?? ""));
        return new SnarkjsChaCha(h.Digest());
    }

    /// <summary>snarkjs's <c>rngFromBeaconParams</c>: SHA-256 applied 2^<paramref name="numIterationsExp"/> times to the beacon.</summary>
    public static SnarkjsChaCha FromBeacon(ReadOnlySpan<byte> beaconHash, int numIterationsExp)
    {
        byte[] cur = beaconHash.ToArray();
        for (ulong i = 0, n = 1UL << numIterationsExp; i < n; i++) cur = SHA256.HashData(cur);
        return new SnarkjsChaCha(cur);
    }

    public uint NextU32()
    {
        if (_index == 16) Update();
        return _buffer[_index++];
    }

    private ulong NextU64() { ulong hi = NextU32(), lo = NextU32(); return (hi << 32) | lo; }

    private bool NextBool() => (NextU32() & 1) == 1;

    // Four 64-bit words, least significant first, masked to 254 bits and redrawn until below the modulus.
    private void NextLimbs(BigInteger modulus, Span<byte> le)
    {
        while (true)
        {
            BigInteger v = BigInteger.Zero;
            for (int i = 0; i < 4; i++) v += new BigInteger(NextU64()) << (64 * i);
            v &= Mask;
            if (v >= modulus) continue;
            le.Clear();
            v.TryWriteBytes(le, out _, isUnsigned: true);
            return;
        }
    }

    /// <summary><c>Fr.fromRng</c>: the drawn limbs as Montgomery form, i.e. the value v·R⁻¹.</summary>
    public Bn254Fr NextFr()
    {
        Span<byte> b = stackalloc byte[32];
        NextLimbs(Bn254Fr.Modulus, b);
        LemCodec.TryReadFrMontgomery(b, out var value);
        return value;
    }

    private Bn254Fq NextFq()
    {
        Span<byte> b = stackalloc byte[32];
        NextLimbs(Bn254Fq.Modulus, b);
        LemCodec.TryReadFqMontgomery(b, out var value);
        return value;
    }

    /// <summary><c>G1.fromRng</c>: x drawn until x³ + 3 is a square, the root's sign chosen by one more draw.</summary>
    public G1Affine NextG1()
    {
        while (true)
        {
            var x = NextFq();
            bool greatest = NextBool();
            if (!FieldMath.TrySqrt(x * x * x + G1Affine.B, out var y)) continue;
            if (IsNegative(y) != greatest) y = -y;
            return new G1Affine(x, y);
        }
    }

    /// <summary><c>G2.fromRng</c>, cleared of the cofactor.</summary>
    public G2Affine NextG2()
    {
        while (true)
        {
            var x = new Fq2(NextFq(), NextFq());
            bool greatest = NextBool();
            if (!Fq2.TrySqrt(x * x * x + G2Affine.B, out var y)) continue;
            if (IsNegative(y) != greatest) y = -y;
            return new G2Affine(x, y).ToProjective().Multiply(G2Cofactor).ToAffine();
        }
    }

    /// <summary>ffjavascript's sign: above (q − 1)/2 (of c1 for F_q², of c0 when c1 is zero).</summary>
    public static bool IsNegative(in Bn254Fq a) => a.ToBigInteger() > HalfQ;

    public static bool IsNegative(in Fq2 a) => a.C1.IsZero ? IsNegative(a.C0) : IsNegative(a.C1);

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
