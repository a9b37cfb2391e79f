using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// LogUp lookup (Haböck) with GKR for the fractional sums (Papini-Haböck): every witness row (f_1(x)..f_c(x)), x in
/// {0,1}^n, is a row of a public <see cref="LookupTable"/> T iff, for multiplicities m,
/// sum_x 1 / (alpha - F(x)) = sum_y m(y) / (alpha - T(y)) with F = sum_j beta^(j-1) f_j, T likewise, as rational
/// functions of alpha. The prover proves both sides with <see cref="FractionalSumGkr"/> at a random alpha and beta;
/// the verifier compares the two root fractions, evaluates the public table itself, and is left with claims on the
/// witness columns and on m at random points, which the caller checks against its commitments.
/// <para>Order: the caller commits the witness and the multiplicities (<see cref="Multiplicities"/>) and absorbs the
/// commitments before calling <see cref="Prove"/> / <see cref="Verify(Transcript, LookupTable, int, LookupProof, out LookupReduction)"/>:
/// alpha and beta must not be known when m is fixed.</para>
/// <para>Soundness: if some row is not in T, the two sides differ as rational functions of (alpha, beta) (multiplicities
/// count below p); clearing denominators gives a non-zero polynomial of total degree &lt;= c (2^n + |T|), so random
/// alpha, beta in GoldilocksExt2 (p^2 &gt; 2^127.99) pass with probability &lt;= c (2^n + |T|) / p^2 (Schwartz-Zippel):
/// 2^-103 for 2^24 witness rows, a 2^16 table and c = 2; 2^-86 at the limits (2^40 rows, c = 4). Each GKR adds
/// &lt;= 2^-114. See the library's README for the composed bound.</para>
/// </summary>
public static class LogUpLookup
{
    /// <summary>How often each table row occurs in the witness (the first equal row counts each occurrence).</summary>
    /// <exception cref="ArgumentException">A witness row is not in the table, or the columns do not match.</exception>
    public static Goldilocks[] Multiplicities(LookupTable table, params ReadOnlySpan<Goldilocks[]> witnessColumns)
    {
        ArgumentNullException.ThrowIfNull(table);
        int rows = CheckWitness(table, witnessColumns);
        var counts = new ulong[table.Length];
        Span<Goldilocks> row = stackalloc Goldilocks[table.Columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < row.Length; j++) row[j] = witnessColumns[j][i];
            int index = table.IndexOf(row);
            if (index < 0) throw new ArgumentException($"Witness row {i} is not in the table.", nameof(witnessColumns));
            counts[index]++;
        }
        return [.. counts.Select(Goldilocks.FromUInt64)];
    }

    /// <summary>
    /// Proves that every witness row is in <paramref name="table"/> given its <paramref name="multiplicities"/>
    /// (already committed and absorbed by the caller). An honest proof needs the true multiplicities; any other input
    /// yields a proof the verifier rejects except with the probability above.
    /// </summary>
    public static LookupProverResult Prove(Transcript transcript, LookupTable table, ReadOnlySpan<Goldilocks> multiplicities, params ReadOnlySpan<Goldilocks[]> witnessColumns)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(table);
        int rows = CheckWitness(table, witnessColumns);
        if (multiplicities.Length != table.Length) throw new ArgumentException("One multiplicity per table row.", nameof(multiplicities));
        int n = Multilinear.VariableCount(rows);
        using var phase = SumcheckTelemetry.Telemetry.Phase("lookup");
        var (alpha, beta) = Begin(transcript, table.Columns, n, table.Variables);
        var messages = new List<GoldilocksExt2>(LookupProof.MessageCount(n, table.Variables));

        var ones = new GoldilocksExt2[rows];
        Array.Fill(ones, GoldilocksExt2.One);
        var witness = FractionalSumGkr.Prove(transcript, ones, Denominators(alpha, beta, witnessColumns), messages);
        var values = new GoldilocksExt2[table.Columns];
        for (int j = 0; j < values.Length; j++) values[j] = Multilinear.Evaluate(witnessColumns[j], witness.Point);
        transcript.Absorb("logup.columns", values);

        var tableColumns = new Goldilocks[table.Columns][];
        for (int j = 0; j < tableColumns.Length; j++) tableColumns[j] = table.Column(j).ToArray();
        var numerators = new GoldilocksExt2[table.Length];
        for (int i = 0; i < numerators.Length; i++) numerators[i] = multiplicities[i];
        var side = FractionalSumGkr.Prove(transcript, numerators, Denominators(alpha, beta, tableColumns), messages);

        var proof = new LookupProof(table.Columns, n, table.Variables, messages.ToArray(), values);
        return new LookupProverResult(proof, new LookupReduction(witness.Point, values, side.Point, side.LeafNumerator));
    }

    /// <summary>
    /// Verifies a lookup of 2^<paramref name="witnessVariables"/> rows into <paramref name="table"/>. On success the
    /// reduction's column values and multiplicity value must still be checked against the caller's commitments.
    /// </summary>
    public static bool Verify(Transcript transcript, LookupTable table, int witnessVariables, LookupProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LookupReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(proof);
        reduction = null;
        if (proof.Columns != table.Columns || proof.WitnessVariables != witnessVariables || proof.TableVariables != table.Variables) return false;
        var (alpha, beta) = Begin(transcript, table.Columns, witnessVariables, table.Variables);
        var messages = proof.Messages;
        int cursor = 0;
        var witness = FractionalSumGkr.Verify(transcript, witnessVariables, messages, ref cursor);
        if (witness is null) return false;
        transcript.Absorb("logup.columns", proof.ColumnValues);
        if (witness.LeafNumerator != GoldilocksExt2.One || witness.LeafDenominator != alpha - Compress(beta, proof.ColumnValues)) return false;

        var side = FractionalSumGkr.Verify(transcript, table.Variables, messages, ref cursor);
        if (side is null || cursor != messages.Length) return false;
        Span<GoldilocksExt2> tableValues = stackalloc GoldilocksExt2[table.Columns];
        for (int j = 0; j < tableValues.Length; j++) tableValues[j] = Multilinear.Evaluate(table.Column(j), side.Point);
        if (side.LeafDenominator != alpha - Compress(beta, tableValues)) return false;

        // P_w / Q_w = P_t / Q_t with both denominators non-zero (a zero one means alpha hit a row: reject).
        if (witness.RootDenominator == GoldilocksExt2.Zero || side.RootDenominator == GoldilocksExt2.Zero) return false;
        if (witness.RootNumerator * side.RootDenominator != side.RootNumerator * witness.RootDenominator) return false;
        reduction = new LookupReduction(witness.Point, proof.ColumnValues.ToArray(), side.Point, side.LeafNumerator);
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, LookupTable, int, LookupProof, out LookupReduction)"/> for the bytes of <see cref="LookupProof.ToBytes"/>.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, LookupTable table, int witnessVariables, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LookupReduction? reduction) =>
        Verify(transcript, table, witnessVariables, LookupProof.FromBytes(proof), out reduction);

    private static (GoldilocksExt2 Alpha, GoldilocksExt2 Beta) Begin(Transcript transcript, int columns, int witnessVariables, int tableVariables)
    {
        transcript.Absorb("logup.shape", [Goldilocks.FromUInt64((ulong)columns), Goldilocks.FromUInt64((ulong)witnessVariables), Goldilocks.FromUInt64((ulong)tableVariables)]);
        GoldilocksExt2 alpha = transcript.ChallengeExt("logup.alpha");
        GoldilocksExt2 beta = transcript.ChallengeExt("logup.beta");
        return (alpha, beta);
    }

    /// <summary>sum_j beta^j values[j].</summary>
    private static GoldilocksExt2 Compress(GoldilocksExt2 beta, ReadOnlySpan<GoldilocksExt2> values)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero, power = GoldilocksExt2.One;
        foreach (GoldilocksExt2 v in values)
        {
            sum += power * v;
            power *= beta;
        }
        return sum;
    }

    /// <summary>alpha - sum_j beta^j column_j[i] for every row i.</summary>
    private static GoldilocksExt2[] Denominators(GoldilocksExt2 alpha, GoldilocksExt2 beta, ReadOnlySpan<Goldilocks[]> columns)
    {
        var result = new GoldilocksExt2[columns[0].Length];
        Array.Fill(result, alpha);
        GoldilocksExt2 power = GoldilocksExt2.One;
        foreach (var column in columns)
        {
            for (int i = 0; i < result.Length; i++) result[i] -= power * column[i];
            power *= beta;
        }
        return result;
    }

    private static int CheckWitness(LookupTable table, ReadOnlySpan<Goldilocks[]> witnessColumns)
    {
        if (witnessColumns.Length != table.Columns) throw new ArgumentException($"The table has {table.Columns} columns, the witness {witnessColumns.Length}.", nameof(witnessColumns));
        foreach (var column in witnessColumns) ArgumentNullException.ThrowIfNull(column);
        int rows = witnessColumns[0].Length;
        if (rows < 2 || !System.Numerics.BitOperations.IsPow2(rows) || rows > 1 << 30)
            throw new ArgumentException($"A witness has a power-of-two number of rows in [2, 2^30], got {rows}.", nameof(witnessColumns));
        foreach (var column in witnessColumns)
            if (column.Length != rows) throw new ArgumentException("Witness columns of different lengths.", nameof(witnessColumns));
        return rows;
    }
}
