using System.Buffers.Binary;
using System.Text;
using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>
/// Fiat-Shamir transcript: a Blake3 hash chain. Every absorbed message is length-prefixed; every challenge
/// ratchets the state, so the prover and the verifier derive the same challenges only from the same messages.
/// </summary>
internal sealed class Transcript
{
    private byte[] _state = new byte[32];
    private ulong _squeezes;

    public Transcript(string domain) => Absorb(Encoding.UTF8.GetBytes(domain));

    public void Absorb(ReadOnlySpan<byte> message)
    {
        using var h = Blake3.Hasher.New();
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)message.Length);
        h.Update(_state);
        h.Update(len);
        h.Update(message);
        h.Finalize(_state);
    }

    public void Absorb(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        Absorb(b);
    }

    public void Absorb(ReadOnlySpan<Goldilocks> values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) values[i].WriteBytes(bytes.AsSpan(i * 8));
        Absorb(bytes);
    }

    public void Absorb(ReadOnlySpan<GoldilocksExt2> values)
    {
        var bytes = new byte[values.Length * 16];
        for (int i = 0; i < values.Length; i++) Ext.Write(bytes.AsSpan(i * 16), values[i]);
        Absorb(bytes);
    }

    private ulong SqueezeUInt64()
    {
        Span<byte> input = stackalloc byte[40];
        _state.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input[32..], _squeezes++);
        Span<byte> output = stackalloc byte[32];
        Blake3.Hasher.Hash(input, output);
        return BinaryPrimitives.ReadUInt64LittleEndian(output);
    }

    /// <summary>A uniformly random base-field element (rejection sampling, so no modular bias).</summary>
    public Goldilocks ChallengeBase()
    {
        while (true)
        {
            ulong v = SqueezeUInt64();
            if (Goldilocks.TryReadBytes(BitConverter.GetBytes(v), out var g)) { Absorb(v); return g; }
        }
    }

    public GoldilocksExt2 ChallengeExt()
    {
        var a = ChallengeBase();
        var b = ChallengeBase();
        return Ext.Make(a, b);
    }

    /// <summary>An integer uniform in [0, 2^bits).</summary>
    public ulong ChallengeBits(int bits)
    {
        ulong v = SqueezeUInt64();
        Absorb(v);
        return bits >= 64 ? v : v & ((1UL << bits) - 1);
    }

    /// <summary>Copy of the current state (used for proof-of-work).</summary>
    public byte[] State => (byte[])_state.Clone();
}
