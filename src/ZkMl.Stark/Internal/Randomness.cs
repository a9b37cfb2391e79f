using System.Buffers.Binary;
using System.Text;
using ZkMl.Common;
using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Source of the prover's zero-knowledge randomness (blinding coefficients and leaf salts).</summary>
internal abstract class Randomness
{
    public static readonly Randomness Secure = new SystemRandomness();

    /// <summary>Fills <paramref name="output"/> with random bytes for (purpose, index).</summary>
    public abstract void Fill(string purpose, int index, Span<byte> output);

    /// <summary>Uniform base-field elements (rejection sampling).</summary>
    public Goldilocks[] FieldElements(string purpose, int index, int count)
    {
        var bytes = new byte[8 * (2 * count + 8)];
        Fill(purpose, index, bytes);
        var result = new Goldilocks[count];
        int taken = 0;
        for (int o = 0; taken < count; o += 8)
        {
            if (o + 8 > bytes.Length) throw new InvalidOperationException("Ran out of randomness (probability 2^-60).");
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(o));
            if (v < Goldilocks.P) result[taken++] = Goldilocks.FromCanonical(v);
        }
        return result;
    }

    private sealed class SystemRandomness : Randomness
    {
        public override void Fill(string purpose, int index, Span<byte> output) => RandomSource.Current.Fill(output);
    }

    /// <summary>Deterministic randomness: the Blake3 extendable output of (seed, purpose, index). The seed must be secret and uniformly random.</summary>
    public sealed class Seeded(byte[] seed) : Randomness
    {
        public override void Fill(string purpose, int index, Span<byte> output)
        {
            using var h = Blake3.Hasher.New();
            h.Update(seed);
            h.Update(Encoding.UTF8.GetBytes("ZkMl.Stark.Randomness/" + purpose));
            Span<byte> idx = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(idx, index);
            h.Update(idx);
            h.Finalize(output);
        }
    }
}
