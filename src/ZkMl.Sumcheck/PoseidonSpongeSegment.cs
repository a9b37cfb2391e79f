namespace ZkMl.Sumcheck;

/// <summary>
/// A region of a caller's committed table that holds part of every row a <see cref="PoseidonSpongeZeroCheck"/> hashes:
/// row i's <see cref="Count"/> entries start at <see cref="Offset"/> + i <see cref="RowStride"/>. The rows' absorbed
/// streams are the segments' entries concatenated in order (the first 8 entries of the stream are the salt).
/// </summary>
/// <param name="Offset">First entry of row 0; a multiple of the region's size (RowStride times the rows rounded up to a power of two).</param>
/// <param name="RowStride">Entries between rows, a power of two &gt;= <paramref name="Count"/>.</param>
/// <param name="Count">Entries of one row in this segment.</param>
public sealed record PoseidonSpongeSegment(long Offset, int RowStride, int Count);
