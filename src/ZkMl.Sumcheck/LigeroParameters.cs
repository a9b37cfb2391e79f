namespace ZkMl.Sumcheck;

/// <summary>
/// Parameters of <see cref="LigeroPcs"/>: the Reed-Solomon rate rho = 2^-<see cref="RateLog"/>, the number of column
/// queries, and whether the commitment hides the polynomial. Soundness (unique-decoding regime, proximity parameter
/// e = (1 - rho) / 2 of the interleaved code, below half its distance, with the correlated agreement of Ben-Sasson,
/// Carmon, Ishai, Kopparty and Saraf 2020 (BCIKS20, affine spaces, unique-decoding case: probability L / p^2 of an
/// exceptional combination)): a committed matrix e-far from the interleaved code passes the proximity test with probability
/// &lt;= (1 - e)^Queries + L / p^2, and one within e of it (then of exactly one codeword matrix) passes an opening of
/// any other polynomial's evaluation with probability &lt;= (rho + e)^Queries; both per-query errors are (1 + rho) / 2.
/// See <see cref="SoundnessBits"/> and src/ZkMl.Sumcheck/README.md.
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
/// <param name="Compact">
/// Hiding only, opt-in: codewords of RL 2^RateLog symbols (RL the row length) instead of 2^RateLog times RL + kQ rounded
/// up to a power of two, i.e. half the encoding and hashing when kQ &lt;= RL, at the actual rate (RL + kQ) / (RL 2^RateLog),
/// slightly above 2^-RateLog: <see cref="SoundnessBits"/> then overstates, and a protocol must count
/// <see cref="LigeroCommitment.SoundnessBits"/> per commitment. Needs kQ &lt;= RL (2^RateLog - 1).
/// </param>
/// <param name="GrindingBits">
/// Proof of work before every opening's query sample (0..<see cref="Transcript.MaxWorkBits"/>; 0: none): the prover
/// finds a nonce whose BLAKE3 with the transcript state has this many zero bits (<see cref="Transcript.ProveWork"/>),
/// writes it in the opening, and the queries are drawn after it; the verifier checks it with one hash before drawing
/// them. Each fresh query sample then costs an attacker 2^GrindingBits hashes, so the query term's conjectured security
/// gains GrindingBits (<see cref="SoundnessBits"/>); the algebraic terms (L / p^2, the protocols' Schwartz-Zippel) gain
/// nothing. Part of the parameters, hence of every commitment's encoding and pinned by the verifier.
/// </param>
public sealed record LigeroParameters(int RateLog, int Queries, bool Hiding, int Openings = 1, bool Compact = false, int GrindingBits = 0)
{
    /// <summary>Most queries a proof may carry.</summary>
    public const int MaxQueries = 4096;
    /// <summary>Most openings a hiding commitment is sized for.</summary>
    public const int MaxOpenings = 16;

    /// <summary>Rate 1/4, 148 queries: 100.3 bits (<see cref="SoundnessBits"/>), not hiding.</summary>
    public static LigeroParameters Default { get; } = new(2, 148, false);

    /// <summary>As <see cref="Default"/>, hiding, one opening.</summary>
    public static LigeroParameters DefaultHiding { get; } = new(2, 148, true);

    /// <summary>As <see cref="DefaultHiding"/>, sized for <paramref name="openings"/> openings.</summary>
    public static LigeroParameters HidingFor(int openings) => new(2, 148, true, openings);

    /// <summary>
    /// -log2 of the per-opening soundness error from the queries: Queries log2(2 / (1 + rho)), rho = 2^-RateLog (the
    /// unique-decoding bound of the summary; the L / p^2 of the random combination is counted apart), plus
    /// <see cref="GrindingBits"/> (conjectured: an attacker's 2^g hashes per query sample, src/ZkMl.Sumcheck/README.md "Grinding").
    /// </summary>
    public double SoundnessBits => Queries * QueryBits(RateLog) + GrindingBits;

    /// <summary>Bits per query at rate 2^-<paramref name="rateLog"/>: log2(2 / (1 + rho)) (0.415 at 1/2, 0.678 at 1/4, 0.830 at 1/8, 0.912 at 1/16).</summary>
    public static double QueryBits(int rateLog) => -Math.Log2((1 + Math.Pow(2, -rateLog)) / 2);

    /// <summary>The codeword length L (columns of the committed matrix) of a commitment to a polynomial in <paramref name="variables"/> variables.</summary>
    public long CodewordLength(int variables) => CodewordLength(variables, 1L << variables);

    /// <summary>
    /// The codeword length L of a commitment to a table of <paramref name="entries"/> values followed by zeros up to
    /// 2^<paramref name="variables"/> (<see cref="LigeroPcs.CommitZeroTail(LigeroParameters, System.ReadOnlySpan{ZkMl.Field.Goldilocks}, int)"/>).
    /// </summary>
    public long CodewordLength(int variables, long entries)
    {
        Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, LigeroPcs.MaxVariables);
        ArgumentOutOfRangeException.ThrowIfLessThan(entries, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries, 1L << variables);
        return new LigeroCommitment(this, variables, LigeroPcs.ChooseRowVariables(this, variables, entries), new byte[32]).ColumnCount;
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
        ArgumentOutOfRangeException.ThrowIfNegative(GrindingBits, nameof(GrindingBits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(GrindingBits, Transcript.MaxWorkBits, nameof(GrindingBits));
        if (Compact && !Hiding) throw new ArgumentException("Compact codewords belong to hiding commitments.", nameof(Compact));
    }
}
