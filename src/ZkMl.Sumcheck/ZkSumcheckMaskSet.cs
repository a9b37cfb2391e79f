using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The Libra masks of up to <see cref="LigeroCommitment.MaxEvaluationMasks"/> <see cref="ZkSumcheck"/>s, committed in
/// one hiding Ligero commitment and opened once, at every sumcheck's final point, after all of them have run.
/// Layout: the matrix has one row per coefficient index (the mask tables' longest length T) and one column per
/// sumcheck (S, padded to a power of two): column s holds the coefficients of g_s. Opening sumcheck s's mask at r_s is
/// the functional pow_s(r_s)^T M e_s plus z_s = r_v (1 - r_v) times evaluation slot s's random row rho_s, so the
/// revealed row is uniform and its entry s is g'_s(r_s) for g'_s = g_s + x_v (1 - x_v) sigma_s, sigma_s = rho_s[s]: the
/// prover masks the rounds with g'_s, whose coefficients are as random as g_s's, and nothing but g'_s(r_s) is revealed
/// (see <c>src/ZkMl.Sumcheck/README.md</c>, "Zero knowledge").
/// </summary>
public sealed class ZkSumcheckMaskSet
{
    private readonly LigeroProverData _data;
    private readonly GoldilocksExt2[][] _coefficients;
    private readonly ZkSumcheckShape[] _shapes;

    private ZkSumcheckMaskSet(LigeroProverData data, ZkSumcheckShape[] shapes, GoldilocksExt2[][] coefficients)
    {
        (_data, _shapes, _coefficients) = (data, shapes, coefficients);
    }

    /// <summary>What the verifier receives (absorb it before the first sumcheck).</summary>
    public LigeroCommitment Commitment => _data.Commitment;

    /// <summary>The sumchecks' shapes, in order.</summary>
    public IReadOnlyList<ZkSumcheckShape> Shapes => _shapes;

    /// <summary>Whether the masks have been opened (they open once).</summary>
    public bool IsOpened => _data.IsOpened(0);

    /// <summary>Draws and commits fresh masks for sumchecks of the given shapes.</summary>
    /// <param name="parameters">Rate, queries and grinding bits of the commitment (hiding is implied; one opening).</param>
    /// <param name="shapes">One shape per sumcheck, in the order their masks are indexed.</param>
    /// <param name="random">For tests; null (the default) uses the cryptographic generator.</param>
    public static ZkSumcheckMaskSet Commit(LigeroParameters parameters, IReadOnlyList<ZkSumcheckShape> shapes, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(shapes);
        if (shapes.Count < 1 || shapes.Count > LigeroCommitment.MaxEvaluationMasks) throw new ArgumentException($"1..{LigeroCommitment.MaxEvaluationMasks} sumchecks.", nameof(shapes));
        foreach (var shape in shapes)
        {
            ArgumentNullException.ThrowIfNull(shape);
            shape.Validate();
        }
        var hiding = new LigeroParameters(parameters.RateLog, parameters.Queries, true, GrindingBits: parameters.GrindingBits);
        hiding.Validate();
        var (rowVariables, columns) = Layout(shapes);
        var table = new Goldilocks[(1 << rowVariables) * columns];
        var masks = new MaskRandomness(random);
        for (int s = 0; s < shapes.Count; s++)
            for (int row = 0; row < shapes[s].MaskCoefficients; row++) table[row * columns + s] = masks.NextBase();
        // Only the rows that hold coefficients are committed (the padding rows are public zeros, as a zero tail).
        var data = LigeroPcs.CommitRows(hiding, table.AsSpan(0, shapes.Max(s => s.MaskCoefficients) * columns), rowVariables + BitOperations.Log2((uint)columns),
            rowVariables, shapes.Count, random);
        var coefficients = new GoldilocksExt2[shapes.Count][];
        for (int s = 0; s < shapes.Count; s++)
        {
            var shape = shapes[s];
            var g = new GoldilocksExt2[shape.MaskCoefficients];
            for (int row = 0; row < g.Length; row++) g[row] = table[row * columns + s];
            // g'_s = g_s + x_v (1 - x_v) sigma_s: sigma enters c_{v,1} and leaves c_{v,2} (round v has degree >= 2).
            GoldilocksExt2 sigma = data.EvaluationMask(s)[s];
            int at = shape.CoefficientOffset(shape.MaskVariable);
            g[at] += sigma;
            g[at + 1] -= sigma;
            coefficients[s] = g;
        }
        return new ZkSumcheckMaskSet(data, [.. shapes], coefficients);
    }

    /// <summary>Sumcheck <paramref name="index"/>'s effective mask coefficients (a_0, c_{0,1..d_0}, c_{1,1..}, ...).</summary>
    internal GoldilocksExt2[] Coefficients(int index) => _coefficients[index];

    /// <summary>
    /// Opens every mask at its sumcheck's final point (one point per sumcheck, in order) and writes g'_s(r_s) to
    /// <paramref name="values"/> (the <see cref="ZkSumcheckReduction.MaskValue"/>s). Once only.
    /// </summary>
    public LigeroOpening Open(Transcript transcript, IReadOnlyList<GoldilocksExt2[]> points, Span<GoldilocksExt2> values)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var (functionals, slots, statement) = Functionals(_data.Commitment, _shapes, points);
        if (values.Length != _shapes.Length) throw new ArgumentException("One value per sumcheck.", nameof(values));
        return LigeroPcs.OpenMasked(transcript, _data, functionals, 0, slots, statement, (ulong)_shapes.Length, values);
    }

    /// <summary>
    /// Checks that the masks committed under <paramref name="commitment"/> take <paramref name="values"/> at
    /// <paramref name="points"/>; false when the commitment's layout does not fit the shapes or any check fails.
    /// Its rate and queries are NOT checked: a caller that reads the commitment from a proof must compare its
    /// <see cref="LigeroCommitment.Parameters"/> with its own first (with one query a forged g'(r) passes 1 time in 4
    /// and proves any false claim of the sumcheck it masks; tests/ZkMl.Sumcheck.Tests/AdversarialMaskSetParametersTests.cs).
    /// </summary>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, IReadOnlyList<ZkSumcheckShape> shapes, IReadOnlyList<GoldilocksExt2[]> points,
        ReadOnlySpan<GoldilocksExt2> values, LigeroOpening opening)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentNullException.ThrowIfNull(opening);
        if (shapes.Count < 1 || shapes.Count > LigeroCommitment.MaxEvaluationMasks) throw new ArgumentException($"1..{LigeroCommitment.MaxEvaluationMasks} sumchecks.", nameof(shapes));
        foreach (var shape in shapes) shape.Validate();
        var (rowVariables, columns) = Layout(shapes);
        if (!commitment.Parameters.Hiding || commitment.Parameters.Openings != 1 || commitment.EvaluationMasks != shapes.Count
            || commitment.RowVariables != rowVariables || commitment.RowLength != columns || commitment.DataRows != shapes.Max(s => s.MaskCoefficients)) return false;
        var (functionals, slots, statement) = Functionals(commitment, [.. shapes], points);
        if (values.Length != shapes.Count) throw new ArgumentException("One value per sumcheck.", nameof(values));
        return LigeroPcs.VerifyMasked(transcript, commitment, functionals, 0, slots, statement, (ulong)shapes.Count, values, opening);
    }

    /// <summary>Row variables (log2 of the longest coefficient table) and columns (sumchecks, padded to a power of two).</summary>
    private static (int RowVariables, int Columns) Layout(IReadOnlyList<ZkSumcheckShape> shapes)
    {
        int longest = shapes.Max(s => s.MaskCoefficients);
        int rowVariables = Math.Max(1, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)longest)));
        return (rowVariables, (int)BitOperations.RoundUpToPowerOf2((uint)shapes.Count));
    }

    private static (LigeroPcs.Functional[] Functionals, int[] Slots, GoldilocksExt2[] Statement) Functionals(LigeroCommitment commitment, ZkSumcheckShape[] shapes,
        IReadOnlyList<GoldilocksExt2[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != shapes.Length) throw new ArgumentException("One point per sumcheck.", nameof(points));
        var functionals = new LigeroPcs.Functional[shapes.Length];
        var statement = new List<GoldilocksExt2>();
        for (int s = 0; s < shapes.Length; s++)
        {
            var point = points[s];
            if (point is null || point.Length != shapes[s].Variables) throw new ArgumentException($"Point {s} has the wrong dimension.", nameof(points));
            var unit = new GoldilocksExt2[commitment.RowLength];
            unit[s] = GoldilocksExt2.One;
            GoldilocksExt2 rv = point[shapes[s].MaskVariable];
            functionals[s] = new LigeroPcs.Functional(shapes[s].PowerTable(point, commitment.DataRows), unit, rv * (GoldilocksExt2.One - rv));
            statement.AddRange(point);
        }
        return (functionals, [.. Enumerable.Range(0, shapes.Length)], [.. statement]);
    }
}
