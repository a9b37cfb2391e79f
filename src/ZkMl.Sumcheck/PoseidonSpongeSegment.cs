namespace ZkMl.Sumcheck;

/// <summary>
/// A region of a caller's committed table that holds part of every row a <see cref="PoseidonSpongeZeroCheck"/> hashes:
/// row i's <see cref="Count"/> entries start at <see cref="Offset"/> + i <see cref="RowStride"/>. The rows' absorbed
/// streams are the segments' elements concatenated in order (the first 8 elements of the stream are the salt). With
/// <see cref="Pack"/> = k &gt; 1 every k consecutive entries e_0..e_(k-1) (the last group zero-padded) are absorbed as
/// one element sum_t <see cref="Radix"/>^t e_t: small integers (pixels) packed, k times fewer permutations; the packing
/// is injective only if the caller range-checks every entry below the radix and Radix^k &lt;= 2^63 (not checked here).
/// </summary>
/// <param name="Offset">First entry of row 0; a multiple of the region's size (RowStride times the rows rounded up to a power of two).</param>
/// <param name="RowStride">Entries between rows, a power of two &gt;= <paramref name="Count"/>.</param>
/// <param name="Count">Entries of one row in this segment.</param>
/// <param name="Pack">Entries per absorbed element (1: each entry is one element).</param>
/// <param name="Radix">The packing's radix (ignored when <paramref name="Pack"/> is 1).</param>
public sealed record PoseidonSpongeSegment(long Offset, int RowStride, int Count, int Pack = 1, ulong Radix = 256)
{
    /// <summary>Stream elements one row of this segment contributes: ceil(Count / Pack).</summary>
    public int Elements => (Count + Pack - 1) / Pack;
}
