using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// What a verified lookup reduces to: the witness columns' values at a random witness point and the multiplicities'
/// value at a random table point, as the prover states them. The caller must check both against the commitments
/// (made before the lookup's challenges) to the witness columns and to the multiplicities.
/// </summary>
public sealed class LookupReduction
{
    private readonly GoldilocksExt2[] _witnessPoint, _columnValues, _tablePoint;

    internal LookupReduction(GoldilocksExt2[] witnessPoint, GoldilocksExt2[] columnValues, GoldilocksExt2[] tablePoint, GoldilocksExt2 multiplicity)
    {
        (_witnessPoint, _columnValues, _tablePoint, MultiplicityValue) = (witnessPoint, columnValues, tablePoint, multiplicity);
    }

    /// <summary>The witness point, first variable first.</summary>
    public ReadOnlySpan<GoldilocksExt2> WitnessPoint => _witnessPoint;
    /// <summary>Witness column j's claimed value at <see cref="WitnessPoint"/>.</summary>
    public ReadOnlySpan<GoldilocksExt2> ColumnValues => _columnValues;
    /// <summary>The table point, first variable first.</summary>
    public ReadOnlySpan<GoldilocksExt2> TablePoint => _tablePoint;
    /// <summary>The multiplicities' claimed value at <see cref="TablePoint"/>.</summary>
    public GoldilocksExt2 MultiplicityValue { get; }
}
