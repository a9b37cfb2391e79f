using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The random masking polynomial of a <see cref="MaskedSumcheck"/> (Libra, Xie et al. 2019):
/// g(x) = a_0 + sum_i sum_{t=1..k} c_{i,t} x_i^t in n variables, of degree k in each. Its coefficients form a table
/// (a_0, c_{0,1..k}, c_{1,1..k}, ...) padded with zeros to a power of two, which the prover commits (hiding) before
/// the sumcheck; g(r) is then the inner product of that table with (1, r_0, ..., r_0^k, r_1, ...).
/// </summary>
public sealed class SumcheckMask
{
    private readonly Goldilocks[] _coefficients;

    private SumcheckMask(int variables, int degree, Goldilocks[] coefficients)
    {
        (Variables, Degree, _coefficients) = (variables, degree, coefficients);
    }

    /// <summary>A fresh uniformly random mask for n variables and degree k.</summary>
    /// <param name="variables">n, the sumcheck's variables.</param>
    /// <param name="degree">k, the sumcheck's degree.</param>
    /// <param name="random">For tests; null (the default) uses the cryptographic generator.</param>
    public static SumcheckMask Create(int variables, int degree, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, SumcheckProof.MaxVariables);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(degree, SumcheckProof.MaxDegree);
        var coefficients = new Goldilocks[TableLength(variables, degree)];
        new MaskRandomness(random).Fill(coefficients.AsSpan(0, 1 + variables * degree));
        return new SumcheckMask(variables, degree, coefficients);
    }

    /// <summary>Length of the coefficient table: 1 + n k rounded up to a power of two (at least 2).</summary>
    public static int TableLength(int variables, int degree) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, 1 + variables * degree));

    /// <summary>n.</summary>
    public int Variables { get; }
    /// <summary>k.</summary>
    public int Degree { get; }
    /// <summary>The coefficient table to commit.</summary>
    public ReadOnlySpan<Goldilocks> Coefficients => _coefficients;

    /// <summary>sum over x in {0,1}^n of g(x) = 2^n a_0 + 2^(n-1) sum_i g_i(1).</summary>
    public Goldilocks Sum()
    {
        Goldilocks ones = Goldilocks.Zero;
        for (int i = 1; i <= Variables * Degree; i++) ones += _coefficients[i];
        Goldilocks total = Goldilocks.FromUInt64(1UL << Variables) * _coefficients[0];
        return Variables == 0 ? total : total + Goldilocks.FromUInt64(1UL << (Variables - 1)) * ones;
    }

    /// <summary>The table (1, r_0, ..., r_0^k, r_1, ..., r_{n-1}^k, 0...) whose inner product with the coefficients is g(r).</summary>
    public static GoldilocksExt2[] PowerTable(int degree, ReadOnlySpan<GoldilocksExt2> point)
    {
        var table = new GoldilocksExt2[TableLength(point.Length, degree)];
        table[0] = GoldilocksExt2.One;
        for (int i = 0; i < point.Length; i++)
        {
            GoldilocksExt2 power = GoldilocksExt2.One;
            for (int t = 1; t <= degree; t++) table[i * degree + t] = power *= point[i];
        }
        return table;
    }

    /// <summary>g(point).</summary>
    public GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> point)
    {
        if (point.Length != Variables) throw new ArgumentException($"The mask has {Variables} variables.", nameof(point));
        var powers = PowerTable(Degree, point);
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < powers.Length; i++) sum += powers[i] * _coefficients[i];
        return sum;
    }

    /// <summary>g_i(t) = sum_{s=1..k} c_{i,s} t^s.</summary>
    internal GoldilocksExt2 Univariate(int variable, GoldilocksExt2 t)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero, power = GoldilocksExt2.One;
        for (int s = 1; s <= Degree; s++)
        {
            power *= t;
            sum += power * _coefficients[variable * Degree + s];
        }
        return sum;
    }
}
