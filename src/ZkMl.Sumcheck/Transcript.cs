using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Fiat-Shamir transcript: a BLAKE3 hash chain keyed for this library (so its hashes are separated from every other
/// BLAKE3 use). The constructor absorbs the protocol name and the statement digest before anything else; then every
/// prover message is absorbed with a label, and every challenge is squeezed with a label and ratchets the state.
/// Prover and verifier call the same sequence, so they derive the same challenges only from the same statement and
/// messages. Each operation is encoded unambiguously: an operation byte, the length-prefixed label and the
/// length-prefixed message.
/// </summary>
public sealed class Transcript
{
    /// <summary>The version string the hash key is derived from; changing the encoding changes it.</summary>
    public const string Version = "ZkMl.Sumcheck.Transcript v1";

    private const byte AbsorbOperation = 1, SqueezeOperation = 2;
    private static readonly byte[] Key = DeriveKey();
    private readonly byte[] _state = new byte[32];

    /// <summary>Starts a transcript for <paramref name="protocol"/> bound to <paramref name="statementDigest"/> (e.g. a hash of the public statement).</summary>
    public Transcript(string protocol, ReadOnlySpan<byte> statementDigest)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        Absorb("protocol", Encoding.UTF8.GetBytes(protocol));
        Absorb("statement", statementDigest);
    }

    private static byte[] DeriveKey()
    {
        var key = new byte[32];
        using var hasher = Blake3.Hasher.NewDeriveKey(Version);
        hasher.Finalize(key);
        return key;
    }

    /// <summary>Absorbs a labelled message.</summary>
    public void Absorb(string label, ReadOnlySpan<byte> message)
    {
        using var hasher = Begin(AbsorbOperation, label);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)message.Length);
        hasher.Update(length);
        hasher.Update(message);
        hasher.Finalize(_state);
    }

    /// <summary>Absorbs a labelled integer (8 bytes little-endian).</summary>
    public void Absorb(string label, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Absorb(label, bytes);
    }

    /// <summary>Absorbs labelled base-field elements (8 canonical bytes each).</summary>
    public void Absorb(string label, ReadOnlySpan<Goldilocks> values)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(values.Length * 8);
        try
        {
            for (int i = 0; i < values.Length; i++) values[i].WriteBytes(bytes.AsSpan(8 * i, 8));
            Absorb(label, bytes.AsSpan(0, values.Length * 8));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Absorbs labelled extension-field elements (16 canonical bytes each).</summary>
    public void Absorb(string label, ReadOnlySpan<GoldilocksExt2> values)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(values.Length * 16);
        try
        {
            for (int i = 0; i < values.Length; i++) values[i].WriteBytes(bytes.AsSpan(16 * i, 16));
            Absorb(label, bytes.AsSpan(0, values.Length * 16));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>A uniformly random extension-field element bound to everything absorbed so far.</summary>
    public GoldilocksExt2 ChallengeExt(string label)
    {
        Span<ulong> values = stackalloc ulong[2];
        Squeeze(label, values);
        return new GoldilocksExt2(Goldilocks.FromCanonical(values[0]), Goldilocks.FromCanonical(values[1]));
    }

    /// <summary>Fills <paramref name="destination"/> with challenges, one squeeze each.</summary>
    public void ChallengeExt(string label, Span<GoldilocksExt2> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = ChallengeExt(label);
    }

    /// <summary>A uniformly random base-field element bound to everything absorbed so far.</summary>
    public Goldilocks ChallengeBase(string label)
    {
        Span<ulong> value = stackalloc ulong[1];
        Squeeze(label, value);
        return Goldilocks.FromCanonical(value[0]);
    }

    /// <summary>
    /// Fills <paramref name="values"/> with uniform integers below p: 64 output bytes per squeeze, the first 32 become
    /// the next state, the other 32 give four candidates, rejected when &gt;= p (probability 2^-32 each), so no bias.
    /// </summary>
    private void Squeeze(string label, Span<ulong> values)
    {
        Span<byte> output = stackalloc byte[64];
        int filled = 0;
        while (filled < values.Length)
        {
            using (var hasher = Begin(SqueezeOperation, label)) hasher.Finalize(output);
            output[..32].CopyTo(_state);
            for (int i = 0; i < 4 && filled < values.Length; i++)
            {
                ulong candidate = BinaryPrimitives.ReadUInt64LittleEndian(output.Slice(32 + 8 * i, 8));
                if (candidate < Goldilocks.P) values[filled++] = candidate;
            }
        }
    }

    private Blake3.Hasher Begin(byte operation, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var hasher = Blake3.Hasher.NewKeyed(Key);
        hasher.Update(_state);
        Span<byte> header = stackalloc byte[5];
        header[0] = operation;
        int labelBytes = Encoding.UTF8.GetByteCount(label);
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], labelBytes);
        hasher.Update(header);
        Span<byte> encoded = labelBytes <= 256 ? stackalloc byte[labelBytes] : new byte[labelBytes];
        Encoding.UTF8.GetBytes(label, encoded);
        hasher.Update(encoded);
        return hasher;
    }
}
