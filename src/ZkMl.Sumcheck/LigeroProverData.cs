using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck;

/// <summary>
/// The prover's side of a <see cref="LigeroPcs"/> commitment: the public <see cref="Commitment"/> and the private
/// rows (messages and codewords), salts and Merkle tree needed to open it. Holds the witness: never send it.
/// </summary>
public sealed class LigeroProverData
{
    private readonly bool[] _proximityUsed, _evaluationUsed;

    internal LigeroProverData(LigeroCommitment commitment, Goldilocks[][] messages, Goldilocks[][] codewords, byte[] salts, Blake3MerkleTree tree)
    {
        (Commitment, Messages, Codewords, Salts, Tree) = (commitment, messages, codewords, salts, tree);
        _proximityUsed = new bool[commitment.Parameters.Hiding ? commitment.Parameters.Openings : 0];
        _evaluationUsed = new bool[commitment.Parameters.Hiding ? commitment.EvaluationMasks : 0];
    }

    /// <summary>
    /// The evaluation mask R_j of hiding slot <paramref name="slot"/> as a table over the column variables (the last
    /// Variables - RowVariables variables; RowLength entries): opening slot j at a point r proves
    /// f'_j(r) = f~(r) + r_v (1 - r_v) R~_j(r_col), v the opening's mask variable. A zero-knowledge sumcheck over f'_j
    /// needs it (<c>ZkSumcheckFactor.Masked</c>). Private: it is the witness's mask.
    /// </summary>
    public GoldilocksExt2[] EvaluationMask(int slot)
    {
        if (!Commitment.Parameters.Hiding) throw new InvalidOperationException("Only a hiding commitment has evaluation masks.");
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Commitment.EvaluationMasks);
        int row = Commitment.EvaluationMaskRow(slot);
        var mask = new GoldilocksExt2[Commitment.RowLength];
        for (int c = 0; c < mask.Length; c++) mask[c] = new GoldilocksExt2(Messages[row][c], Messages[row + 1][c]);
        return mask;
    }

    /// <summary>Whether hiding opening slot <paramref name="slot"/> has been used.</summary>
    public bool IsOpened(int slot) => slot >= 0 && slot < _proximityUsed.Length && _proximityUsed[slot];

    /// <summary>Marks the slots of one hiding opening used; a second use would reveal a second combination under the same masks.</summary>
    internal void Consume(int proximitySlot, ReadOnlySpan<int> evaluationSlots)
    {
        lock (_proximityUsed)
        {
            if (proximitySlot < 0 || proximitySlot >= _proximityUsed.Length) throw new ArgumentOutOfRangeException(nameof(proximitySlot), $"Opening slots 0..{_proximityUsed.Length - 1}.");
            foreach (int s in evaluationSlots)
                if (s < 0 || s >= _evaluationUsed.Length) throw new ArgumentOutOfRangeException(nameof(evaluationSlots), $"Evaluation slots 0..{_evaluationUsed.Length - 1}.");
            if (_proximityUsed[proximitySlot] || evaluationSlots.ToArray().Any(s => _evaluationUsed[s]) || evaluationSlots.ToArray().Distinct().Count() != evaluationSlots.Length)
                throw new InvalidOperationException("A hiding commitment's opening slot is used once: opening it again would reveal the witness.");
            _proximityUsed[proximitySlot] = true;
            foreach (int s in evaluationSlots) _evaluationUsed[s] = true;
        }
    }

    /// <summary>What the verifier receives.</summary>
    public LigeroCommitment Commitment { get; }

    /// <summary>Each committed row's coefficients (MessageLength each): data rows first, then the mask rows when hiding.</summary>
    internal Goldilocks[][] Messages { get; }
    /// <summary>Each committed row's Reed-Solomon codeword (ColumnCount each).</summary>
    internal Goldilocks[][] Codewords { get; }
    /// <summary>32 bytes per column when hiding, else empty.</summary>
    internal byte[] Salts { get; }
    internal Blake3MerkleTree Tree { get; }
}
