namespace ZkMl.Sumcheck;

/// <summary>
/// Where a <see cref="ZkLinearReduction"/> finds its own Libra mask when it is stored in the first commitment instead of
/// a <see cref="ZkSumcheckMaskSet"/>: coefficient t (a base-field value, t &lt; the shape's
/// <see cref="ZkSumcheckShape.MaskCoefficients"/>) at entry (<see cref="Row"/> + t) RowLength + <see cref="Column"/> of
/// the table, i.e. down one column of the committed matrix, opened as the functional pow(r)^T M e_Column with evaluation
/// slot <see cref="Slot"/>'s mask (weight r_v (1 - r_v)) in the same query set as the reduction's own opening; the prover
/// masks with g' = g + x_v (1 - x_v) sigma, sigma that slot's mask entry at the column (as <see cref="ZkSumcheckMaskSet"/>
/// does), so the opening reveals only g'(r). Use <see cref="ZkLinearReduction.RowLength"/> to lay the table out.
/// </summary>
/// <param name="Row">First matrix row of the coefficients.</param>
/// <param name="Column">Their column.</param>
/// <param name="Slot">The evaluation slot (not the reduction's) that masks the revealed row.</param>
public sealed record ZkReductionMask(int Row, int Column, int Slot);
