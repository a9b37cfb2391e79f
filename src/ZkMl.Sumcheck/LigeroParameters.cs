namespace ZkMl.Sumcheck;

/// <summary>
/// Parameters of <see cref="LigeroPcs"/>: the Reed-Solomon rate 2^-<see cref="RateLog"/>, the number of column
/// queries, and whether the commitment hides the polynomial. Soundness (unique-decoding regime, Ligero Lemma 4.2 with
/// e &lt; d / 4): a commitment that is not within relative distance delta / 4 of the interleaved code, delta = 1 - rate,
/// passes the proximity test with probability &lt;= (1 - delta / 4)^Queries + L / p^2 (L the codeword length, p^2 the
/// extension field's size), and a wrong evaluation row passes with probability &lt;= (1 - 3 delta / 4)^Queries.
/// See <see cref="SoundnessBits"/>.
/// </summary>
/// <param name="RateLog">log2 of the blow-up (1..4).</param>
/// <param name="Queries">Columns opened per proof (1..<see cref="MaxQueries"/>).</param>
/// <param name="Hiding">
/// Salted Merkle leaves, Openings x Queries random coefficients appended to every row before encoding (so the at most
/// Openings x Queries columns all openings together reveal are uniform and independent of the polynomial), and per
/// opening slot j a random extension-field row masking the proximity row and a random extension-field row rho_j masking
/// the evaluation row: opening slot j opens f'_j(x) = f~(x) + x_v (1 - x_v) rho~_j(x_col), which equals f on the
/// hypercube (see <see cref="LigeroPcs"/> and <c>src/ZkMl.Sumcheck/README.md</c>, "Zero knowledge").
/// </param>
/// <param name="Openings">
/// Hiding only: how many times the commitment may be opened (1..<see cref="MaxOpenings"/>), each at one point with its
/// own slot; a non-hiding commitment may be opened any number of times and takes 1.
/// </param>
public sealed record LigeroParameters(int RateLog, int Queries, bool Hiding, int Openings = 1)
{
    /// <summary>Most queries a proof may carry.</summary>
    public const int MaxQueries = 4096;
    /// <summary>Most openings a hiding commitment is sized for.</summary>
    public const int MaxOpenings = 16;

    /// <summary>Rate 1/4, 334 queries: 100 bits (<see cref="SoundnessBits"/>), not hiding.</summary>
    public static LigeroParameters Default { get; } = new(2, 334, false);

    /// <summary>As <see cref="Default"/>, hiding, one opening.</summary>
    public static LigeroParameters DefaultHiding { get; } = new(2, 334, true);

    /// <summary>As <see cref="DefaultHiding"/>, sized for <paramref name="openings"/> openings.</summary>
    public static LigeroParameters HidingFor(int openings) => new(2, 334, true, openings);

    /// <summary>-log2 of the per-proof soundness error from the queries: Queries log2(1 / (1 - delta / 4)), delta = 1 - 2^-RateLog.</summary>
    public double SoundnessBits => -Queries * Math.Log2(1 - (1 - Math.Pow(2, -RateLog)) / 4);

    /// <summary>The codeword length L (columns of the committed matrix) of a commitment to a polynomial in <paramref name="variables"/> variables.</summary>
    public long CodewordLength(int variables)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, LigeroPcs.MaxVariables);
        return new LigeroCommitment(this, variables, LigeroPcs.ChooseRowVariables(this, variables), new byte[32]).ColumnCount;
    }

    /// <summary>Throws unless the parameters are in range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RateLog, 1, nameof(RateLog));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RateLog, 4, nameof(RateLog));
        ArgumentOutOfRangeException.ThrowIfLessThan(Queries, 1, nameof(Queries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Queries, MaxQueries, nameof(Queries));
        ArgumentOutOfRangeException.ThrowIfLessThan(Openings, 1, nameof(Openings));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Openings, Hiding ? MaxOpenings : 1, nameof(Openings));
    }
}
