using System.Buffers.Binary;
using ZkMl.Common;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The prover's private randomness for hiding: <see cref="RandomSource.Current"/> (the operating system's cryptographic
/// generator unless a test opened an insecure seeded scope), a stream keyed by a
/// secret seed (BLAKE3: the key derived from the seed, then the keyed hash of a block counter; reproducible by whoever
/// holds the seed), or a caller's <see cref="Random"/> (tests only: a seeded generator makes the masks reproducible and
/// therefore not hiding).
/// </summary>
internal sealed class MaskRandomness
{
    private const string StreamContext = "ZkMl.Sumcheck.MaskRandomness stream v1";
    private readonly Random? _random;
    private readonly byte[]? _key;
    private readonly byte[] _block = new byte[64];
    private ulong _counter;
    private int _used = 64;

    public MaskRandomness(Random? random)
    {
        _random = random;
    }

    public MaskRandomness(ReadOnlySpan<byte> seed)
    {
        using var hasher = Blake3.Hasher.NewDeriveKey(StreamContext);
        hasher.Update(seed);
        _key = new byte[32];
        hasher.Finalize(_key);
    }

    /// <summary>A uniform base-field element.</summary>
    public Goldilocks NextBase()
    {
        if (_random is not null) return Goldilocks.Random(_random);
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            Fill(bytes);
            ulong v = BitConverter.ToUInt64(bytes);
            if (v < Goldilocks.P) return Goldilocks.FromCanonical(v);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniform base-field elements.</summary>
    public void Fill(Span<Goldilocks> destination)
    {
        if (_random is not null)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] = NextBase();
            return;
        }
        // The values NextBase would give, one after another (the same words of the byte stream, the rejected ones
        // skipped), but drawn in bulk: one call per batch rather than per element.
        Span<ulong> words = stackalloc ulong[256];
        int filled = 0;
        while (filled < destination.Length)
        {
            var batch = words[..Math.Min(words.Length, destination.Length - filled)];
            Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(batch));
            foreach (ulong v in batch)
                if (v < Goldilocks.P) destination[filled++] = Goldilocks.FromCanonical(v);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniform bytes.</summary>
    public void Fill(Span<byte> destination)
    {
        if (_key is null)
        {
            // The library's source: the OS generator unless a test opened an insecure seeded scope (reproducible proofs).
            if (_random is null) RandomSource.Current.Fill(destination);
            else _random.NextBytes(destination);
            return;
        }
        while (destination.Length > 0)
        {
            if (_used == _block.Length) NextBlock();
            int take = Math.Min(destination.Length, _block.Length - _used);
            _block.AsSpan(_used, take).CopyTo(destination);
            _used += take;
            destination = destination[take..];
        }
    }

    private void NextBlock()
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(counter, _counter++);
        using var hasher = Blake3.Hasher.NewKeyed(_key);
        hasher.Update(counter);
        hasher.Finalize(_block);
        _used = 0;
    }
}
