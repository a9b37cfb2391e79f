using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Circuits.Gadgets;

/// <summary>The R1CS gadget of <see cref="PoseidonCommitment"/>.</summary>
public static class PoseidonCommitmentGadget
{
    /// <summary>The gadget: constrains and returns the commitment to <paramref name="elements"/> with <paramref name="salt"/>.</summary>
    public static LinearCombination<T> Commit<T>(R1csBuilder<T> b, IReadOnlyList<LinearCombination<T>> elements, LinearCombination<T> salt)
        where T : struct, IPrimeField<T>
    {
        var h = PoseidonGadget.Hash(b, salt, b.Constant(T.FromUInt64((ulong)elements.Count)));
        for (int start = 0; start < elements.Count; start += PoseidonCommitment.ChunkSize)
        {
            var buf = new LinearCombination<T>[PoseidonCommitment.ChunkSize + 1];
            buf[0] = h;
            for (int i = 0; i < PoseidonCommitment.ChunkSize; i++)
                buf[i + 1] = start + i < elements.Count ? elements[start + i] : LinearCombination<T>.Zero;
            h = PoseidonGadget.Hash(b, buf);
        }
        return h;
    }
}
