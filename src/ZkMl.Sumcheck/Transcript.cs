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

    /// <summary>Most grinding bits <see cref="ProveWork"/> and <see cref="VerifyWork"/> accept.</summary>
    public const int MaxWorkBits = 32;

    /// <summary>Nonces per hash batch of the search (each worker's stride).</summary>
    private const int WorkBatch = 2048;

    /// <summary>Bytes of a work message: the domain prefix, the state, the nonce (one BLAKE3 block).</summary>
    private const int WorkMessageLength = 16 + 32 + 8;

    private static readonly byte[] WorkPrefix = Encoding.ASCII.GetBytes("ZkMl.Grind v1\0\0\0");

    /// <summary>
    /// Proof of work before a query sample (grinding, as ethSTARK, Winterfell and Plonky3 do): absorbs the label and
    /// <paramref name="bits"/>, then finds the smallest nonce w with <see cref="WorkHolds"/> (BLAKE3 of a domain prefix,
    /// the state and w has its first <paramref name="bits"/> bits zero: 2^bits hashes expected, spread over the cores),
    /// absorbs w and returns it. Challenges squeezed afterwards depend on w, so a prover who wants another sample must
    /// find another nonce (or change an earlier message and grind again): 2^bits hashes per sample.
    /// </summary>
    public ulong ProveWork(string label, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxWorkBits);
        Absorb(label, (ulong)bits);
        ulong nonce = bits == 0 ? 0 : SearchWork(_state, bits);
        Absorb(label, nonce);
        return nonce;
    }

    /// <summary>
    /// The verifier's side of <see cref="ProveWork"/>: absorbs the label and <paramref name="bits"/>, checks the nonce's
    /// work with one hash, and only then absorbs it. False (the transcript is then void) when the work does not hold.
    /// </summary>
    public bool VerifyWork(string label, int bits, ulong nonce)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxWorkBits);
        Absorb(label, (ulong)bits);
        if (!WorkHolds(_state, bits, nonce)) return false;
        Absorb(label, nonce);
        return true;
    }

    /// <summary>
    /// Whether BLAKE3("ZkMl.Grind v1" padded to 16 bytes || <paramref name="state"/> || nonce, 8 bytes little endian)
    /// has its first <paramref name="bits"/> bits zero (the low bits of its first 8 bytes read little endian).
    /// </summary>
    internal static bool WorkHolds(ReadOnlySpan<byte> state, int bits, ulong nonce)
    {
        if (state.Length != 32) throw new ArgumentException("A state is 32 bytes.", nameof(state));
        Span<byte> message = stackalloc byte[WorkMessageLength];
        WorkPrefix.CopyTo(message);
        state.CopyTo(message[16..]);
        BinaryPrimitives.WriteUInt64LittleEndian(message[48..], nonce);
        Span<byte> digest = stackalloc byte[32];
        Blake3.Hasher.Hash(message, digest);
        return HasZeroBits(digest, bits);
    }

    private static bool HasZeroBits(ReadOnlySpan<byte> digest, int bits) =>
        bits == 0 || (BinaryPrimitives.ReadUInt64LittleEndian(digest) & (ulong.MaxValue >> (64 - bits))) == 0;

    /// <summary>
    /// The smallest nonce whose work holds: worker w hashes batches w, w + P, w + 2P, .. of <see cref="WorkBatch"/>
    /// nonces with the batched BLAKE3 (eight or sixteen messages per vector) and stops past the best nonce found, so the
    /// answer is the same on any number of cores.
    /// </summary>
    internal static ulong SearchWork(ReadOnlySpan<byte> state, int bits)
    {
        if (state.Length != 32) throw new ArgumentException("A state is 32 bytes.", nameof(state));
        var prefix = new byte[48];
        WorkPrefix.CopyTo(prefix, 0);
        state.CopyTo(prefix.AsSpan(16));
        int workers = Math.Max(1, Environment.ProcessorCount);
        long best = long.MaxValue;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var messages = new byte[WorkBatch * WorkMessageLength];
            var digests = new byte[WorkBatch * 32];
            for (int i = 0; i < WorkBatch; i++) prefix.CopyTo(messages, i * WorkMessageLength);
            for (long batch = w; ; batch += workers)
            {
                long first = batch * WorkBatch;
                if (first >= Interlocked.Read(ref best)) return;
                for (int i = 0; i < WorkBatch; i++)
                    BinaryPrimitives.WriteUInt64LittleEndian(messages.AsSpan(i * WorkMessageLength + 48, 8), (ulong)(first + i));
                ZkMl.Hashing.Blake3Batch.HashMany(messages, WorkMessageLength, WorkBatch, digests);
                for (int i = 0; i < WorkBatch; i++)
                {
                    if (!HasZeroBits(digests.AsSpan(32 * i, 32), bits)) continue;
                    long found = first + i, seen;
                    while (found < (seen = Interlocked.Read(ref best)) && Interlocked.CompareExchange(ref best, found, seen) != seen) { }
                    return;
                }
            }
        });
        return (ulong)best;
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
