using System.Numerics;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The layout of the zero-knowledge step's mask region, one aligned table of the stack (docs/sumcheck-step.md, "Zero
/// knowledge", item 1): the stored-mask GKR's region (<see cref="ZkStoredMaskGkr.MaskEntries"/>, aligned), the input
/// lookup's GKR region (aligned to its <see cref="ZkStoredMaskGkr.Alignment"/>), the batch
/// membership sponge's region (<see cref="PoseidonSpongeLayout.MaskRegionSize"/>: its Libra coefficients at a multiple of
/// their region's size, then its seven scalars), one aligned block of Libra coefficients per block zero-check (base
/// pairs), then two base entries per masked factor of every zero-check and per masked leaf of the two lookups. A function of the shapes only, so the verifier rebuilds it. Every entry
/// is uniform and used by one mask only.
/// </summary>
internal sealed class StepMasks
{
    private readonly long[] _libra, _scalars;
    private readonly long _gkr, _inputGkr, _leaves, _sponge;

    /// <param name="blocks">The block zero-checks, in order.</param>
    /// <param name="gkrVariables">The lookup tree's variables (0: no lookup).</param>
    /// <param name="spongeLibra">The membership sponge's <see cref="PoseidonSpongeLayout.LibraEntries"/> (0: no sponge).</param>
    /// <param name="inputGkrVariables">The input lookup's tree variables (0: no input lookup).</param>
    internal StepMasks(IReadOnlyList<ZeroCheck> blocks, int gkrVariables, long spongeLibra = 0, int inputGkrVariables = 0)
    {
        long next = 0;
        if (gkrVariables > 0)
        {
            _gkr = 0;
            next = ZkStoredMaskGkr.MaskEntries(gkrVariables, 2);
        }
        if (inputGkrVariables > 0)
        {
            long align = ZkStoredMaskGkr.Alignment(inputGkrVariables, 2);
            next = (next + align - 1) / align * align;
            _inputGkr = next;
            next += ZkStoredMaskGkr.MaskEntries(inputGkrVariables, 2);
        }
        if (spongeLibra > 0)
        {
            next = (next + spongeLibra - 1) / spongeLibra * spongeLibra;
            _sponge = next;
            next += spongeLibra + 16;
        }
        _libra = new long[blocks.Count];
        foreach (int b in Enumerable.Range(0, blocks.Count).OrderByDescending(b => Block(blocks[b])))
        {
            long size = Block(blocks[b]);
            next = (next + size - 1) / size * size;
            _libra[b] = next;
            next += size;
        }
        _scalars = new long[blocks.Count];
        for (int b = 0; b < blocks.Count; b++)
        {
            _scalars[b] = next;
            next += 2 * blocks[b].MaskedFactors.Count;
        }
        _leaves = next;
        next += 8;
        Variables = Math.Max(1, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((ulong)next)));
    }

    /// <summary>log2 of the region's size.</summary>
    internal int Variables { get; }

    /// <summary>Where the region starts in the stack (set once the stack is laid out; a multiple of its size).</summary>
    internal long Offset { get; set; }

    /// <summary>The stored-mask GKR's region.</summary>
    internal long Gkr => Offset + _gkr;
    /// <summary>The input lookup's stored-mask GKR region.</summary>
    internal long InputGkr => Offset + _inputGkr;
    /// <summary>The membership sponge's mask region (its Libra coefficients, then its scalars).</summary>
    internal long Sponge => Offset + _sponge;
    /// <summary>Block b's Libra coefficients (base pairs).</summary>
    internal long Libra(int block) => Offset + _libra[block];
    /// <summary>The scalar (base pair) of block b's j-th masked factor.</summary>
    internal long Scalar(int block, int j) => Offset + _scalars[block] + 2 * j;
    /// <summary>The scalar of a lookup's masked leaf i (0: the multiplicities' half, 1: the witness denominators'; 2, 3: the same of the input lookup).</summary>
    internal long Leaf(int i) => Offset + _leaves + 2 * i;

    private static long Block(ZeroCheck block) => (long)BitOperations.RoundUpToPowerOf2((ulong)(2 * block.Shape.MaskCoefficients));
}
