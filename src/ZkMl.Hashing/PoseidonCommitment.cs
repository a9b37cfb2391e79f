using ZkMl.Field;

namespace ZkMl.Hashing;

/// <summary>
/// Commitment to a sequence of field elements with Poseidon (the R1CS gadget is <c>ZkMl.Circuits.Gadgets.PoseidonCommitmentGadget</c>):
/// h_0 = Poseidon(salt, n), h_{i+1} = Poseidon(h_i, chunk_i) over chunks of 15 elements (the last one zero-padded;
/// n binds the length so padding is unambiguous); the commitment is the last h. A uniformly random salt makes it
/// hiding; salt 0 gives a plain binding digest.
/// </summary>
public static class PoseidonCommitment
{
    /// <summary>Elements absorbed per Poseidon call (16 inputs: the chain value and 15 elements).</summary>
    public const int ChunkSize = 15;

    /// <summary>Commits to <paramref name="elements"/> with <paramref name="salt"/>.</summary>
    public static T Commit<T>(ReadOnlySpan<T> elements, T salt) where T : struct, IPrimeField<T>
    {
        var h = Poseidon.Hash(salt, T.FromUInt64((ulong)elements.Length));
        var buf = new T[ChunkSize + 1];
        for (int start = 0; start < elements.Length; start += ChunkSize)
        {
            Array.Clear(buf);
            buf[0] = h;
            var chunk = elements.Slice(start, Math.Min(ChunkSize, elements.Length - start));
            chunk.CopyTo(buf.AsSpan(1));
            h = Poseidon.Hash<T>(buf);
        }
        return h;
    }
}
