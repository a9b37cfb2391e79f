using ZkMl.Hashing;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Prover;

/// <summary>
/// Committed columns: their coefficients, their low-degree extensions, and one Merkle tree per segment (adjacent columns
/// committed together). Used for the main trace (one tree per <see cref="Air.MainSegmentWidths"/> segment), the LogUp
/// auxiliary trace and the composition chunks; opened at the query positions.
/// </summary>
internal sealed class TraceCommitment
{
    private readonly int[] _starts, _widths;
    private readonly Blake3MerkleTree[] _trees;
    private readonly byte[]?[] _salts;

    private TraceCommitment(Goldilocks[][] coeffs, Goldilocks[][] lde, int[] widths, Blake3MerkleTree[] trees, byte[]?[] salts)
    {
        Coeffs = coeffs;
        Lde = lde;
        _widths = widths;
        _starts = new int[widths.Length];
        for (int s = 1; s < widths.Length; s++) _starts[s] = _starts[s - 1] + widths[s - 1];
        _trees = trees;
        _salts = salts;
    }

    public Goldilocks[][] Coeffs { get; }
    public Goldilocks[][] Lde { get; }
    public byte[][] Roots => _trees.Select(t => t.Root).ToArray();

    /// <summary>
    /// Interpolates, blinds and extends <paramref name="columns"/>, then commits each segment of <paramref name="widths"/>
    /// columns with its own randomness (a segment's column i is blinded with index i of its randomness).
    /// </summary>
    public static TraceCommitment Commit(ProverContext ctx, Goldilocks[][] columns, IReadOnlyList<int> widths, Randomness[] randomness)
    {
        int w = columns.Length;
        var starts = new int[widths.Count];
        var segmentOf = new int[w];
        for (int sg = 0; sg < widths.Count; sg++)
        {
            if (sg > 0) starts[sg] = starts[sg - 1] + widths[sg - 1];
            for (int c = 0; c < widths[sg]; c++) segmentOf[starts[sg] + c] = sg;
        }
        var coeffs = new Goldilocks[w][];
        var lde = new Goldilocks[w][];
        Parallel.For(0, w, c => (coeffs[c], lde[c]) = ctx.Extend(columns[c], randomness[segmentOf[c]], c - starts[segmentOf[c]]));
        var trees = new Blake3MerkleTree[widths.Count];
        var salts = new byte[]?[widths.Count];
        for (int sg = 0; sg < widths.Count; sg++)
            (trees[sg], salts[sg]) = ctx.Commit(lde.AsSpan(starts[sg], widths[sg]).ToArray(), randomness[sg]);
        return new TraceCommitment(coeffs, lde, widths.ToArray(), trees, salts);
    }

    /// <summary>Extends polynomials given by their coefficients and commits them as one table (fresh salts).</summary>
    public static TraceCommitment CommitPolynomials(ProverContext ctx, Goldilocks[][] coeffs)
    {
        var lde = new Goldilocks[coeffs.Length][];
        Parallel.For(0, coeffs.Length, c => lde[c] = ctx.LowDegreeExtend(coeffs[c]));
        var (tree, salts) = ctx.Commit(lde, Randomness.Secure);
        return new TraceCommitment(coeffs, lde, [coeffs.Length], [tree], [salts]);
    }

    /// <summary>Each segment's opened rows, salts and Merkle multi-proof at <paramref name="positions"/>.</summary>
    public TableOpening[] Open(int[] positions)
    {
        var openings = new TableOpening[_trees.Length];
        for (int sg = 0; sg < _trees.Length; sg++)
        {
            var lde = Lde.AsSpan(_starts[sg], _widths[sg]).ToArray();
            var salts = _salts[sg];
            int saltLen = StarkProof.SaltLength;
            openings[sg] = new TableOpening(
                salts is null ? [] : positions.Select(p => salts.AsSpan(p * saltLen, saltLen).ToArray()).ToArray(),
                positions.Select(p => lde.Select(col => col[p]).ToArray()).ToArray(),
                _trees[sg].Open(positions).ToArray());
        }
        return openings;
    }
}
