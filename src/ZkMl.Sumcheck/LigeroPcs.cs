using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck;

/// <summary>
/// A transparent multilinear polynomial commitment in the style of Ligero / Brakedown (tensor code): the table of
/// f (2^n base-field values, first variables most significant) is a matrix M of 2^ra rows, each row's values taken as
/// polynomial coefficients and Reed-Solomon encoded over a subgroup of Goldilocks at rate 2^-RateLog; the commitment
/// is the BLAKE3 Merkle root over the encoded columns. Since f~(r) = eq(r_row)^T M eq(r_col), an opening sends the
/// message u = eq(r_row)^T M (the verifier computes f~(r) = &lt;u, eq(r_col)&gt;), a proximity row gamma^T M for a
/// random gamma, and the Merkle-authenticated columns at Queries random positions, where the verifier checks that the
/// encodings of both rows agree with the same combinations of the opened column.
/// <para>Binding: queries are checked in the unique-decoding regime ((1 - rate) / 2, <see cref="LigeroParameters"/>), so a
/// commitment that passes is close to exactly one matrix of codewords and every accepted evaluation is of that one
/// polynomial; two proofs opening the same root cannot refer to different polynomials (except with the soundness
/// error), which is what a chain of separately proven steps needs. Challenges come from the caller's transcript,
/// which must have absorbed the commitment (<see cref="LigeroCommitment.AbsorbInto"/>) and the points' origin.</para>
/// <para>Hiding (<see cref="LigeroParameters.Hiding"/>): the opened columns and the proximity row are uniformly random
/// and independent of f, and the committed polynomial is f'(x) = f~(x) + x_0 (1 - x_0) rho~(x_col) for a random
/// committed row rho (x_0 the first variable, a row variable; x_col the column variables). f' equals f on the hypercube
/// (so a sumcheck over f' proves the same sum; its first round then has degree 2 in x_0), and an opening at r sends
/// eq(r_row)^T M + r_0 (1 - r_0) rho, uniform when r_0 is not 0 or 1, so the value f'(r) and the row reveal nothing
/// about f. One opening per hiding commitment, at one point: the masks cover one query set and one evaluation row (a
/// protocol that needs two points of one polynomial reduces them to one first).</para>
/// </summary>
public static class LigeroPcs
{
    /// <summary>Most variables of a committed polynomial.</summary>
    public const int MaxVariables = 30;
    /// <summary>log2 of the longest codeword.</summary>
    public const int MaxCodewordLog = 28;

    /// <summary>Commits to the multilinear polynomial with the given table (length 2^n).</summary>
    /// <param name="parameters">The scheme's parameters.</param>
    /// <param name="table">The evaluations over the hypercube.</param>
    /// <param name="random">Masking randomness for tests; null (the default) uses the cryptographic generator.</param>
    public static LigeroProverData Commit(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        int n = Multilinear.VariableCount(table.Length);
        if (n > MaxVariables) throw new ArgumentException($"At most 2^{MaxVariables} entries.", nameof(table));
        if (parameters.Hiding && n == 0) throw new ArgumentException("A hiding commitment needs at least one variable.", nameof(table));
        return Commit(parameters, table, ChooseRowVariables(parameters, n), parameters.Openings, random);
    }

    /// <summary>
    /// Commits (not hiding) to the multilinear polynomial in <paramref name="variables"/> variables whose table is
    /// <paramref name="table"/> followed by zeros up to 2^variables entries: only the rows that hold the table are
    /// committed and opened (the verifier takes the others as zero), so a table with a long zero tail (a step's stacked
    /// tables) costs fewer values per opened column. Deterministic.
    /// </summary>
    public static LigeroProverData CommitZeroTail(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int variables)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (parameters.Hiding) throw new ArgumentException("A hiding commitment with a zero tail takes evaluation slots (the other overload).", nameof(parameters));
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, MaxVariables);
        if (table.Length < 1 || table.Length > 1L << variables) throw new ArgumentException($"1..2^{variables} entries.", nameof(table));
        int rowVariables = ChooseRowVariables(parameters, variables, table.Length);
        return Commit(parameters, table, variables, rowVariables, 1, new MaskRandomness((Random?)null));
    }

    /// <summary>
    /// Commits hiding, as <see cref="Commit(LigeroParameters, ReadOnlySpan{Goldilocks}, int, Random)"/>, to the polynomial
    /// in <paramref name="variables"/> variables whose table is <paramref name="table"/> followed by zeros: only the rows
    /// the table reaches are committed (the verifier takes the others as zero; which rows are zero is public, so nothing
    /// about the table leaks), with their tails and the mask rows as usual. Fewer values per opened column and less
    /// encoding for a table with a long public zero tail (a step's stack).
    /// </summary>
    public static LigeroProverData CommitZeroTail(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int variables, int evaluationMasks, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (!parameters.Hiding) throw new ArgumentException("Evaluation slots belong to hiding commitments.", nameof(parameters));
        ArgumentOutOfRangeException.ThrowIfLessThan(variables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, MaxVariables);
        if (table.Length < 1 || table.Length > 1L << variables) throw new ArgumentException($"1..2^{variables} entries.", nameof(table));
        return Commit(parameters, table, variables, ChooseRowVariables(parameters, variables, table.Length, evaluationMasks), evaluationMasks, new MaskRandomness(random));
    }

    /// <summary>
    /// Commits hiding with <paramref name="evaluationMasks"/> evaluation slots (one per point the table will be claimed
    /// at) and <see cref="LigeroParameters.Openings"/> opening slots (query sets): a multi-point
    /// <see cref="OpenHiding(Transcript, LigeroProverData, IReadOnlyList{GoldilocksExt2[]}, ReadOnlySpan{int}, ReadOnlySpan{int}, int, Span{GoldilocksExt2})"/>
    /// uses one opening slot and one evaluation slot per point.
    /// </summary>
    public static LigeroProverData Commit(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int evaluationMasks, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (!parameters.Hiding) throw new ArgumentException("Evaluation slots belong to hiding commitments.", nameof(parameters));
        int n = Multilinear.VariableCount(table.Length);
        if (n == 0 || n > MaxVariables) throw new ArgumentException($"1..{MaxVariables} variables.", nameof(table));
        return Commit(parameters, table, ChooseRowVariables(parameters, n, 0, evaluationMasks), evaluationMasks, random);
    }

    /// <summary>
    /// Commits hiding as <see cref="Commit(LigeroParameters, ReadOnlySpan{Goldilocks}, int, Random)"/> with every random
    /// value (tail coefficients, mask rows, leaf salts) drawn from a stream keyed by a secret <paramref name="seed"/>
    /// (16..64 bytes, BLAKE3 in derive-key mode, then counter blocks): whoever holds the table and the seed recomputes the
    /// same prover data, so a later proof (the next step of a chain, possibly another prover) opens the slots this
    /// commitment reserved for it. The seed is as secret as the table: with it, the commitment hides nothing.
    /// </summary>
    public static LigeroProverData CommitSeeded(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int evaluationMasks, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (!parameters.Hiding) throw new ArgumentException("A seed belongs to hiding commitments.", nameof(parameters));
        if (seed.Length < 16 || seed.Length > 64) throw new ArgumentException("16..64 seed bytes.", nameof(seed));
        int n = Multilinear.VariableCount(table.Length);
        if (n == 0 || n > MaxVariables) throw new ArgumentException($"1..{MaxVariables} variables.", nameof(table));
        return Commit(parameters, table, n, ChooseRowVariables(parameters, n, 0, evaluationMasks), evaluationMasks, new MaskRandomness(seed));
    }

    /// <summary>
    /// <see cref="CommitSeeded(LigeroParameters, ReadOnlySpan{Goldilocks}, int, ReadOnlySpan{byte})"/> for the polynomial in
    /// <paramref name="variables"/> variables whose table is <paramref name="table"/> followed by zeros (only the rows the
    /// table reaches are committed, as <see cref="CommitZeroTail(LigeroParameters, ReadOnlySpan{Goldilocks}, int, int, Random)"/>):
    /// a chain state whose parts fill less than a power of two.
    /// </summary>
    public static LigeroProverData CommitSeeded(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int variables, int evaluationMasks, ReadOnlySpan<byte> seed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (!parameters.Hiding) throw new ArgumentException("A seed belongs to hiding commitments.", nameof(parameters));
        if (seed.Length < 16 || seed.Length > 64) throw new ArgumentException("16..64 seed bytes.", nameof(seed));
        ArgumentOutOfRangeException.ThrowIfLessThan(variables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, MaxVariables);
        if (table.Length < 1 || table.Length > 1L << variables) throw new ArgumentException($"1..2^{variables} entries.", nameof(table));
        return Commit(parameters, table, variables, ChooseRowVariables(parameters, variables, table.Length, evaluationMasks), evaluationMasks, new MaskRandomness(seed));
    }

    /// <summary>Commits with a given row split and, when hiding, <paramref name="evaluationMasks"/> evaluation slots.</summary>
    internal static LigeroProverData Commit(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int rowVariables, int evaluationMasks, Random? random) =>
        Commit(parameters, table, Multilinear.VariableCount(table.Length), rowVariables, evaluationMasks, new MaskRandomness(random));

    /// <summary>
    /// Commits (hiding or not) to the table of 2^<paramref name="variables"/> entries given up to its zero tail, with a
    /// given row split (a layout of the caller's, such as <see cref="ZkSumcheckMaskSet"/>'s: only the rows the table
    /// reaches are committed).
    /// </summary>
    internal static LigeroProverData CommitRows(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int variables, int rowVariables, int evaluationMasks, Random? random) =>
        Commit(parameters, table, variables, rowVariables, evaluationMasks, new MaskRandomness(random));

    /// <summary>As above for a table of 2^<paramref name="n"/> entries given up to its zero tail (only the rows it reaches are committed).</summary>
    private static LigeroProverData Commit(LigeroParameters parameters, ReadOnlySpan<Goldilocks> table, int n, int rowVariables, int evaluationMasks, MaskRandomness masks)
    {
        int committedRows = (int)((table.Length + (1L << (n - rowVariables)) - 1) >> (n - rowVariables));
        var shape = new LigeroCommitment(parameters, n, rowVariables, new byte[32], evaluationMasks, committedRows);
        int dataRows = shape.DataRows, rowLength = shape.RowLength, messageLength = shape.MessageLength;
        int columns = checked((int)shape.ColumnCount);
        var messages = new Goldilocks[shape.Rows][];
        var codewords = new Goldilocks[shape.Rows][];
        for (int i = 0; i < shape.Rows; i++)
        {
            var message = new Goldilocks[messageLength];
            if (i < dataRows)
            {
                table.Slice(i * rowLength, Math.Min(rowLength, table.Length - i * rowLength)).CopyTo(message);
                if (parameters.Hiding) masks.Fill(message.AsSpan(rowLength, parameters.Openings * parameters.Queries));
            }
            else masks.Fill(message.AsSpan(0, shape.SentLength));
            messages[i] = message;
        }
        using (SumcheckTelemetry.Telemetry.Phase("commit.encode"))
        {
            // Enough rows to keep every core busy: each row's extension runs on one thread (no nested parallel loops).
            bool rowParallel = shape.Rows < 2 * Environment.ProcessorCount;
            // Row 0 on this thread first (its JIT, twiddle table and pool arrays then exist): a cold process's first
            // commitment started as a parallel loop sometimes waited 10-18 s at ~1.3 s CPU while the pool grew to 18
            // threads (3 of 9 cold runs of the stack's rows; 0 of 8 with this).
            codewords[0] = Encode(messages[0], columns, rowParallel);
            Parallel.For(1, shape.Rows, i => codewords[i] = Encode(messages[i], columns, rowParallel));
        }
        var salts = new byte[parameters.Hiding ? 32L * columns : 0];
        masks.Fill(salts);
        using var merkle = SumcheckTelemetry.Telemetry.Phase("commit.merkle");
        int leafBytes = shape.LeafBytes;
        // Leaf j: column j's entries (8 bytes little endian, row by row), then its salt when hiding; hashed straight from
        // the codewords, never written out as bytes.
        var tree = Blake3MerkleTree.OverHashedLeaves(columns, leafBytes, (first, count, digests) => Blake3Batch.HashColumns(codewords, salts, first, count, digests));
        var commitment = new LigeroCommitment(parameters, n, rowVariables, tree.Root, evaluationMasks, committedRows);
        return new LigeroProverData(commitment, messages, codewords, salts, tree);
    }

    /// <summary>
    /// Opens the commitment at <paramref name="points"/> (each of n coordinates) and writes f~ at each point to
    /// <paramref name="values"/>. The transcript must be in the verifier's state: the commitment absorbed.
    /// </summary>
    public static LigeroOpening Open(Transcript transcript, LigeroProverData data, IReadOnlyList<GoldilocksExt2[]> points, Span<GoldilocksExt2> values)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(data);
        var commitment = data.Commitment;
        CheckPoints(commitment, points);
        if (values.Length != points.Count) throw new ArgumentException("One value per point.", nameof(values));
        if (commitment.Parameters.Hiding)
        {
            var opening = OpenHiding(transcript, data, points[0], 0, 0, out GoldilocksExt2 value);
            values[0] = value;
            return opening;
        }
        using var phase = SumcheckTelemetry.Telemetry.Phase("open");
        int messageLength = commitment.MessageLength, dataRows = commitment.DataRows;
        var evaluationRows = new GoldilocksExt2[points.Count * messageLength];
        for (int p = 0; p < points.Count; p++)
        {
            var row = evaluationRows.AsSpan(p * messageLength, messageLength);
            Combine(data.Messages, Multilinear.EqTable(points[p].AsSpan(0, commitment.RowVariables))[..dataRows], evaluationRows, p * messageLength, messageLength);
            values[p] = InnerProduct(row[..commitment.RowLength], Multilinear.EqTable(points[p].AsSpan(commitment.RowVariables)));
        }
        BeginOpening(transcript, commitment, points, values, evaluationRows);
        var gamma = ProximityWeights(transcript, commitment.DataRows);
        var proximityRow = new GoldilocksExt2[messageLength];
        Combine(data.Messages, gamma, proximityRow, 0, messageLength);
        transcript.Absorb("ligero.proximity", proximityRow);
        ulong? nonce = Grind(transcript, commitment);
        var indices = QueryIndices(transcript, commitment);
        return Tagged(phase, commitment, new LigeroOpening(points.Count, messageLength, commitment.Rows, false, evaluationRows, proximityRow,
            OpenedColumns(data, indices), [], data.Tree.Open(indices).ToArray(), nonce));
    }

    /// <summary>
    /// Checks that the committed polynomial takes <paramref name="values"/> at <paramref name="points"/>. The transcript
    /// must be in the prover's state at <see cref="Open"/>.
    /// </summary>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values, LigeroOpening opening)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(opening);
        CheckPoints(commitment, points);
        if (values.Length != points.Count) throw new ArgumentException("One value per point.", nameof(values));
        commitment.RequireCanonical();
        if (commitment.Parameters.Hiding) return VerifyHiding(transcript, commitment, points[0], 0, 0, values[0], opening);
        int messageLength = commitment.MessageLength, dataRows = commitment.DataRows, rows = commitment.Rows;
        if (opening.Points != points.Count || opening.MessageLength != messageLength || opening.Rows != rows || opening.Hiding)
            return false;
        var eqRows = new GoldilocksExt2[points.Count][];
        var evaluationRows = new GoldilocksExt2[points.Count * messageLength];
        for (int p = 0; p < points.Count; p++)
        {
            var row = opening.EvaluationRow(p);
            row.CopyTo(evaluationRows.AsSpan(p * messageLength));
            if (InnerProduct(row[..commitment.RowLength], Multilinear.EqTable(points[p].AsSpan(commitment.RowVariables))) != values[p]) return false;
            eqRows[p] = Multilinear.EqTable(points[p].AsSpan(0, commitment.RowVariables))[..dataRows];
        }
        BeginOpening(transcript, commitment, points, values, evaluationRows);
        var gamma = ProximityWeights(transcript, commitment.DataRows);
        transcript.Absorb("ligero.proximity", opening.ProximityRow);
        if (!CheckGrinding(transcript, commitment, opening)) return false;
        var indices = QueryIndices(transcript, commitment);
        if (opening.OpenedColumns != indices.Length) return false;

        int columnCount = checked((int)commitment.ColumnCount);
        var encodedRows = new GoldilocksExt2[points.Count][];
        for (int p = 0; p < points.Count; p++) encodedRows[p] = EncodeExt(opening.EvaluationRow(p), columnCount);
        var encodedProximity = EncodeExt(opening.ProximityRow, columnCount);
        var leafDigests = new byte[indices.Length][];
        var leaf = new byte[commitment.LeafBytes];
        for (int q = 0; q < indices.Length; q++)
        {
            var column = opening.Column(q);
            for (int p = 0; p < points.Count; p++)
            {
                if (InnerProduct(eqRows[p], column[..dataRows]) != encodedRows[p][indices[q]]) return false;
            }
            if (InnerProduct(gamma.AsSpan(0, dataRows), column[..dataRows]) != encodedProximity[indices[q]]) return false;
            for (int k = 0; k < rows; k++) column[k].WriteBytes(leaf.AsSpan(8 * k, 8));
            opening.Salt(q).CopyTo(leaf.AsSpan(8 * rows));
            leafDigests[q] = new byte[32];
            Blake3.Hasher.Hash(leaf, leafDigests[q]);
        }
        return Blake3MerkleTree.Verify(commitment.Root, columnCount, indices, leafDigests, opening.MerkleProof);
    }

    /// <summary>As <see cref="Verify(Transcript, LigeroCommitment, IReadOnlyList{GoldilocksExt2[]}, ReadOnlySpan{GoldilocksExt2}, LigeroOpening)"/> for the bytes of <see cref="LigeroOpening.ToBytes"/>.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values, ReadOnlySpan<byte> opening) =>
        Verify(transcript, commitment, points, values, LigeroOpening.FromBytes(opening));

    /// <summary>
    /// Opens hiding slot <paramref name="slot"/> of the commitment at <paramref name="point"/>: proves
    /// f'_slot(point) = f~(point) + r_v (1 - r_v) R~_slot(r_col) (v = <paramref name="maskVariable"/>, R the slot's
    /// evaluation mask, <see cref="LigeroProverData.EvaluationMask"/>) and returns it in <paramref name="value"/>. Each
    /// slot opens once (<see cref="InvalidOperationException"/> otherwise); the verifier must know the slot and the mask
    /// variable from the protocol, and the transcript must be in its state (the commitment absorbed).
    /// </summary>
    public static LigeroOpening OpenHiding(Transcript transcript, LigeroProverData data, GoldilocksExt2[] point, int slot, int maskVariable, out GoldilocksExt2 value)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(data);
        var functional = EqFunctional(data.Commitment, point, slot, maskVariable);
        var values = new GoldilocksExt2[1];
        var opening = OpenMasked(transcript, data, [functional], slot, [slot], point, (ulong)maskVariable, values);
        value = values[0];
        return opening;
    }

    /// <summary>
    /// Opens a hiding commitment at several points under one query set (opening slot <paramref name="opening"/>): point p
    /// proves f'_(slots[p])(points[p]) with mask variable maskVariables[p], written to values[p]. Each evaluation slot and
    /// each opening slot is used once; a table claimed at m points needs m evaluation slots and one opening.
    /// </summary>
    public static LigeroOpening OpenHiding(Transcript transcript, LigeroProverData data, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<int> slots,
        ReadOnlySpan<int> maskVariables, int opening, Span<GoldilocksExt2> values)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(data);
        var (functionals, statement, tag) = EqFunctionals(data.Commitment, points, slots, maskVariables);
        if (values.Length != functionals.Length) throw new ArgumentException("One value per point.", nameof(values));
        return OpenMasked(transcript, data, functionals, opening, slots.ToArray(), statement, tag, values);
    }

    /// <summary>Checks a multi-point <c>OpenHiding</c> opening.</summary>
    /// <exception cref="LigeroShapeException">The commitment's row split is not the canonical one.</exception>
    public static bool VerifyHiding(Transcript transcript, LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<int> slots,
        ReadOnlySpan<int> maskVariables, int opening, ReadOnlySpan<GoldilocksExt2> values, LigeroOpening proof)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(proof);
        commitment.RequireCanonical();
        var (functionals, statement, tag) = EqFunctionals(commitment, points, slots, maskVariables);
        return VerifyMasked(transcript, commitment, functionals, opening, slots.ToArray(), statement, tag, values, proof);
    }

    private static (Functional[] Functionals, GoldilocksExt2[] Statement, ulong Tag) EqFunctionals(LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points,
        ReadOnlySpan<int> slots, ReadOnlySpan<int> maskVariables)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 1 || slots.Length != points.Count || maskVariables.Length != points.Count) throw new ArgumentException("One slot and one mask variable per point.", nameof(points));
        var functionals = new Functional[points.Count];
        var statement = new List<GoldilocksExt2>();
        ulong tag = 0;
        for (int p = 0; p < points.Count; p++)
        {
            functionals[p] = EqFunctional(commitment, points[p], slots[p], maskVariables[p], commitment.EvaluationMasks);
            statement.AddRange(points[p]);
            tag = tag * 31 + (ulong)maskVariables[p] + 1;
        }
        return (functionals, [.. statement], tag);
    }

    /// <summary>Checks an <see cref="OpenHiding(Transcript, LigeroProverData, GoldilocksExt2[], int, int, out GoldilocksExt2)"/> opening: the commitment's slot <paramref name="slot"/> opens to <paramref name="value"/> at <paramref name="point"/>.</summary>
    public static bool VerifyHiding(Transcript transcript, LigeroCommitment commitment, GoldilocksExt2[] point, int slot, int maskVariable, GoldilocksExt2 value, LigeroOpening opening)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(opening);
        commitment.RequireCanonical();
        var functional = EqFunctional(commitment, point, slot, maskVariable);
        return VerifyMasked(transcript, commitment, [functional], slot, [slot], point, (ulong)maskVariable, [value], opening);
    }

    /// <summary>As <c>VerifyHiding</c> for the bytes of <see cref="LigeroOpening.ToBytes"/>.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool VerifyHiding(Transcript transcript, LigeroCommitment commitment, GoldilocksExt2[] point, int slot, int maskVariable, GoldilocksExt2 value, ReadOnlySpan<byte> opening) =>
        VerifyHiding(transcript, commitment, point, slot, maskVariable, value, LigeroOpening.FromBytes(opening));

    /// <summary>A linear functional a^T M b of the committed matrix, plus weight z on the evaluation slot's mask row.</summary>
    internal readonly record struct Functional(GoldilocksExt2[] RowWeights, GoldilocksExt2[] ColumnWeights, GoldilocksExt2 MaskWeight);

    private static Functional EqFunctional(LigeroCommitment commitment, GoldilocksExt2[] point, int slot, int maskVariable, int slots = 0)
    {
        if (!commitment.Parameters.Hiding) throw new InvalidOperationException("Only a hiding commitment has opening slots.");
        ArgumentNullException.ThrowIfNull(point);
        if (point.Length != commitment.Variables) throw new ArgumentException($"Points have {commitment.Variables} coordinates.", nameof(point));
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, slots > 0 ? slots : Math.Min(commitment.Parameters.Openings, commitment.EvaluationMasks));
        ArgumentOutOfRangeException.ThrowIfNegative(maskVariable);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maskVariable, commitment.Variables);
        GoldilocksExt2 rv = point[maskVariable];
        return new Functional(Multilinear.EqTable(point.AsSpan(0, commitment.RowVariables))[..commitment.DataRows], Multilinear.EqTable(point.AsSpan(commitment.RowVariables)),
            rv * (GoldilocksExt2.One - rv));
    }

    /// <summary>
    /// The hiding opening of several functionals under one query set: functional p's row is a_p^T M + z_p rho_(slot p)
    /// (rho the slot's extension-field mask row) and its value &lt;row, b_p&gt;; the proximity row tests the data rows and
    /// those mask rows with independent weights and adds the proximity slot's mask row with weight 1.
    /// </summary>
    internal static LigeroOpening OpenMasked(Transcript transcript, LigeroProverData data, Functional[] functionals, int proximitySlot, int[] evaluationSlots,
        ReadOnlySpan<GoldilocksExt2> statement, ulong tag, Span<GoldilocksExt2> values)
    {
        var commitment = data.Commitment;
        CheckFunctionals(commitment, functionals, evaluationSlots);
        data.Consume(proximitySlot, evaluationSlots);
        using var phase = SumcheckTelemetry.Telemetry.Phase("open");
        // Rows of SentLength coefficients: every committed message is zero beyond it (the verifier pads).
        int messageLength = commitment.SentLength, dataRows = commitment.DataRows, points = functionals.Length;
        var evaluationRows = new GoldilocksExt2[points * messageLength];
        for (int p = 0; p < points; p++)
        {
            var row = evaluationRows.AsSpan(p * messageLength, messageLength);
            Combine(data.Messages, functionals[p].RowWeights, evaluationRows, p * messageLength, messageLength);
            AddExtRow(data.Messages, commitment.EvaluationMaskRow(evaluationSlots[p]), functionals[p].MaskWeight, GoldilocksExt2.Zero, row);
            values[p] = InnerProduct(row[..commitment.RowLength], functionals[p].ColumnWeights);
        }
        BeginMasked(transcript, commitment, proximitySlot, evaluationSlots, statement, tag, values, evaluationRows);
        var gamma = ProximityWeights(transcript, dataRows + 2 * points);
        var proximityRow = new GoldilocksExt2[messageLength];
        Combine(data.Messages, gamma[..dataRows], proximityRow, 0, messageLength);
        for (int p = 0; p < points; p++)
            AddExtRow(data.Messages, commitment.EvaluationMaskRow(evaluationSlots[p]), gamma[dataRows + 2 * p], gamma[dataRows + 2 * p + 1], proximityRow, separate: true);
        AddExtRow(data.Messages, commitment.ProximityMaskRow(proximitySlot), GoldilocksExt2.One, GoldilocksExt2.Zero, proximityRow);
        transcript.Absorb("ligero.proximity", proximityRow);
        ulong? nonce = Grind(transcript, commitment);
        var indices = QueryIndices(transcript, commitment);
        var salts = new byte[32 * indices.Length];
        for (int q = 0; q < indices.Length; q++) data.Salts.AsSpan(32 * indices[q], 32).CopyTo(salts.AsSpan(32 * q));
        return Tagged(phase, commitment, new LigeroOpening(points, messageLength, commitment.Rows, true, evaluationRows, proximityRow, OpenedColumns(data, indices), salts,
            data.Tree.Open(indices).ToArray(), nonce));
    }

    /// <summary>Tags the <c>open</c> phase (when traced) with the opening's bytes by part, for size breakdowns.</summary>
    private static LigeroOpening Tagged(in ZkMl.Common.PhaseScope phase, LigeroCommitment commitment, LigeroOpening opening)
    {
        if (phase.Activity is { } activity)
        {
            activity.SetTag("ligero.variables", commitment.Variables);
            activity.SetTag("ligero.rows", commitment.Rows);
            activity.SetTag("ligero.queries", opening.OpenedColumns);
            activity.SetTag("ligero.bytes.rows", 16L * (opening.Points + 1) * opening.MessageLength);
            activity.SetTag("ligero.bytes.columns", (long)opening.OpenedColumns * (8L * opening.Rows + (opening.Hiding ? 32 : 0)));
            activity.SetTag("ligero.bytes.merkle", 32L * opening.MerkleProof.Count);
            activity.SetTag("ligero.grinding", commitment.Parameters.GrindingBits);
        }
        return opening;
    }

    /// <summary>Checks an <see cref="OpenMasked"/> opening; false on any mismatch.</summary>
    internal static bool VerifyMasked(Transcript transcript, LigeroCommitment commitment, Functional[] functionals, int proximitySlot, int[] evaluationSlots,
        ReadOnlySpan<GoldilocksExt2> statement, ulong tag, ReadOnlySpan<GoldilocksExt2> values, LigeroOpening opening)
    {
        CheckFunctionals(commitment, functionals, evaluationSlots);
        ArgumentOutOfRangeException.ThrowIfNegative(proximitySlot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(proximitySlot, commitment.Parameters.Openings);
        int messageLength = commitment.SentLength, dataRows = commitment.DataRows, rows = commitment.Rows, points = functionals.Length;
        if (values.Length != points) throw new ArgumentException("One value per functional.", nameof(values));
        if (opening.Points != points || opening.MessageLength != messageLength || opening.Rows != rows || !opening.Hiding) return false;
        var evaluationRows = new GoldilocksExt2[points * messageLength];
        for (int p = 0; p < points; p++)
        {
            var row = opening.EvaluationRow(p);
            row.CopyTo(evaluationRows.AsSpan(p * messageLength));
            if (InnerProduct(row[..commitment.RowLength], functionals[p].ColumnWeights) != values[p]) return false;
        }
        BeginMasked(transcript, commitment, proximitySlot, evaluationSlots, statement, tag, values, evaluationRows);
        var gamma = ProximityWeights(transcript, dataRows + 2 * points);
        transcript.Absorb("ligero.proximity", opening.ProximityRow);
        if (!CheckGrinding(transcript, commitment, opening)) return false;
        var indices = QueryIndices(transcript, commitment);
        if (opening.OpenedColumns != indices.Length) return false;

        int columnCount = checked((int)commitment.ColumnCount);
        var encodedRows = new GoldilocksExt2[points][];
        for (int p = 0; p < points; p++) encodedRows[p] = EncodeExt(opening.EvaluationRow(p), columnCount);
        var encodedProximity = EncodeExt(opening.ProximityRow, columnCount);
        var leafDigests = new byte[indices.Length][];
        var leaf = new byte[commitment.LeafBytes];
        int proximityMask = commitment.ProximityMaskRow(proximitySlot);
        for (int q = 0; q < indices.Length; q++)
        {
            var column = opening.Column(q);
            GoldilocksExt2 proximity = InnerProduct(gamma.AsSpan(0, dataRows), column[..dataRows]) + new GoldilocksExt2(column[proximityMask], column[proximityMask + 1]);
            for (int p = 0; p < points; p++)
            {
                int mask = commitment.EvaluationMaskRow(evaluationSlots[p]);
                var rho = new GoldilocksExt2(column[mask], column[mask + 1]);
                if (InnerProduct(functionals[p].RowWeights, column[..dataRows]) + functionals[p].MaskWeight * rho != encodedRows[p][indices[q]]) return false;
                proximity += gamma[dataRows + 2 * p] * column[mask] + gamma[dataRows + 2 * p + 1] * column[mask + 1];
            }
            if (proximity != encodedProximity[indices[q]]) return false;
            for (int k = 0; k < rows; k++) column[k].WriteBytes(leaf.AsSpan(8 * k, 8));
            opening.Salt(q).CopyTo(leaf.AsSpan(8 * rows));
            leafDigests[q] = new byte[32];
            Blake3.Hasher.Hash(leaf, leafDigests[q]);
        }
        return Blake3MerkleTree.Verify(commitment.Root, columnCount, indices, leafDigests, opening.MerkleProof);
    }

    private static void CheckFunctionals(LigeroCommitment commitment, Functional[] functionals, int[] evaluationSlots)
    {
        if (!commitment.Parameters.Hiding) throw new InvalidOperationException("Only a hiding commitment has opening slots.");
        if (functionals.Length < 1 || functionals.Length > LigeroOpening.MaxPoints || evaluationSlots.Length != functionals.Length)
            throw new ArgumentException($"1..{LigeroOpening.MaxPoints} functionals, one evaluation slot each.", nameof(functionals));
        foreach (int s in evaluationSlots)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(evaluationSlots));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(s, commitment.EvaluationMasks, nameof(evaluationSlots));
        }
        if (evaluationSlots.Distinct().Count() != evaluationSlots.Length) throw new ArgumentException("Each evaluation slot once.", nameof(evaluationSlots));
        foreach (var f in functionals)
            if (f.RowWeights.Length != commitment.DataRows || f.ColumnWeights.Length != commitment.RowLength) throw new ArgumentException("Functional of the wrong shape.", nameof(functionals));
    }

    /// <summary>
    /// destination += w (rows[at] + X rows[at + 1]), the pair as one extension-field row; with <paramref name="separate"/>,
    /// destination += w rows[at] + w2 rows[at + 1] (each base row under its own weight, as the proximity test needs).
    /// </summary>
    private static void AddExtRow(Goldilocks[][] messages, int at, GoldilocksExt2 w, GoldilocksExt2 w2, Span<GoldilocksExt2> destination, bool separate = false)
    {
        var (a, b) = (messages[at], messages[at + 1]);
        for (int c = 0; c < destination.Length; c++)
            destination[c] += separate ? w * a[c] + w2 * b[c] : w * new GoldilocksExt2(a[c], b[c]);
    }

    private static void BeginMasked(Transcript transcript, LigeroCommitment commitment, int proximitySlot, int[] evaluationSlots,
        ReadOnlySpan<GoldilocksExt2> statement, ulong tag, ReadOnlySpan<GoldilocksExt2> values, GoldilocksExt2[] evaluationRows)
    {
        commitment.AbsorbInto(transcript);
        transcript.Absorb("ligero.slot", (ulong)proximitySlot);
        foreach (int s in evaluationSlots) transcript.Absorb("ligero.evaluation-slot", (ulong)s);
        transcript.Absorb("ligero.tag", tag);
        transcript.Absorb("ligero.point", statement);
        transcript.Absorb("ligero.values", values);
        transcript.Absorb("ligero.rows", evaluationRows);
    }

    /// <summary>
    /// The canonical row split (log2 of the rows) of a commitment with <paramref name="parameters"/> to a table of
    /// <paramref name="variables"/> variables whose first <paramref name="entries"/> values are committed (0: all), with
    /// <paramref name="evaluationMasks"/> evaluation slots when hiding (0: one per opening). Every commitment this class
    /// makes uses it, and every verification refuses another (<see cref="LigeroShapeException"/>): the verifier derives
    /// the matrix, hence the code's actual rate and <see cref="LigeroCommitment.SoundnessBits"/>, from public data, so a
    /// prover cannot pick a split whose rate is weaker than the one the protocol counted.
    /// </summary>
    public static int RowVariables(LigeroParameters parameters, int variables, long entries = 0, int evaluationMasks = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, MaxVariables);
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries, 1L << variables);
        ArgumentOutOfRangeException.ThrowIfNegative(evaluationMasks);
        return ChooseRowVariables(parameters, variables, entries, evaluationMasks);
    }

    /// <summary>
    /// Row variables minimising the opening's size for one point. Not hiding (unchanged, so non-hiding commitments keep
    /// their bytes): Queries columns of the committed rows against two rows of the row length. Hiding: Queries columns of
    /// the committed rows, the 2k + 2e mask rows and a 32-byte salt, plus the Merkle multi-proof (about
    /// Queries x log2(L / Queries) digests: paths merge above log2(Queries) levels), against the evaluation and proximity
    /// rows of SentLength = row length + kQ extension elements. Ties go to the fewer row variables. Deterministic in
    /// (parameters, variables, entries, evaluation slots): it is the split the verifier pins.
    /// </summary>
    internal static int ChooseRowVariables(LigeroParameters parameters, int variables, long entries = 0, int evaluationMasks = 0)
    {
        if (entries == 0) entries = 1L << variables;
        if (evaluationMasks == 0) evaluationMasks = parameters.Openings;
        int best = parameters.Hiding ? 1 : 0;
        long bestBytes = long.MaxValue;
        int tail = parameters.Hiding ? parameters.Openings * parameters.Queries : 0, salt = parameters.Hiding ? 32 : 0;
        int maskRows = parameters.Hiding ? 2 * parameters.Openings + 2 * evaluationMasks : 0;
        for (int ra = best; ra <= variables; ra++)
        {
            long messageLength = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)((1L << (variables - ra)) + tail));
            long codeword = (parameters.Compact ? 1L << (variables - ra) : messageLength) << parameters.RateLog;
            if (codeword > 1L << MaxCodewordLog || (parameters.Compact && (1L << (variables - ra)) + tail >= codeword)) continue;
            long rows = (entries + (1L << (variables - ra)) - 1) >> (variables - ra);
            long bytes;
            if (!parameters.Hiding) bytes = (long)parameters.Queries * (8L * rows) + 2L * 16 * (1L << (variables - ra));
            else
            {
                long merkle = 32L * parameters.Queries * Math.Max(0, System.Numerics.BitOperations.Log2((ulong)codeword) - System.Numerics.BitOperations.Log2((uint)parameters.Queries));
                bytes = (long)parameters.Queries * (8L * (rows + maskRows) + salt) + merkle + 2L * 16 * ((1L << (variables - ra)) + tail);
            }
            if (bytes < bestBytes) (best, bestBytes) = (ra, bytes);
        }
        return best;
    }

    private static void CheckPoints(LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 1 || points.Count > LigeroOpening.MaxPoints) throw new ArgumentException($"1..{LigeroOpening.MaxPoints} points.", nameof(points));
        if (commitment.Parameters.Hiding && points.Count != 1) throw new ArgumentException("A hiding commitment is opened at one point per opening.", nameof(points));
        foreach (var point in points)
            if (point is null || point.Length != commitment.Variables) throw new ArgumentException($"Points have {commitment.Variables} coordinates.", nameof(points));
    }

    /// <summary>Independent weights of the proximity test: one per tested row (the data rows, then a hiding opening's evaluation mask rows).</summary>
    private static GoldilocksExt2[] ProximityWeights(Transcript transcript, int testedRows)
    {
        var gamma = new GoldilocksExt2[testedRows];
        transcript.ChallengeExt("ligero.gamma", gamma);
        return gamma;
    }

    /// <summary>The opened columns (every row) at the indices, column by column.</summary>
    private static Goldilocks[] OpenedColumns(LigeroProverData data, int[] indices)
    {
        int rows = data.Commitment.Rows;
        var columns = new Goldilocks[indices.Length * rows];
        for (int q = 0; q < indices.Length; q++)
            for (int k = 0; k < rows; k++) columns[q * rows + k] = data.Codewords[k][indices[q]];
        return columns;
    }

    private static void BeginOpening(Transcript transcript, LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values, GoldilocksExt2[] evaluationRows)
    {
        commitment.AbsorbInto(transcript);
        foreach (var point in points) transcript.Absorb("ligero.point", point);
        transcript.Absorb("ligero.values", values);
        transcript.Absorb("ligero.rows", evaluationRows);
    }

    /// <summary>
    /// The proof of work before the query sample (<see cref="LigeroParameters.GrindingBits"/>; null without): after
    /// everything the queries depend on (the commitment, the point, the rows, the proximity row) is absorbed, so any
    /// change the prover makes to those forces a new search, and every new sample costs 2^g hashes.
    /// </summary>
    private static ulong? Grind(Transcript transcript, LigeroCommitment commitment)
    {
        int bits = commitment.Parameters.GrindingBits;
        if (bits == 0) return null;
        using var grind = SumcheckTelemetry.Telemetry.Phase("grind");
        return transcript.ProveWork("ligero.grind", bits);
    }

    /// <summary>
    /// The verifier's side of <see cref="Grind"/>, before any query is drawn: the nonce must be present exactly when the
    /// pinned parameters grind (no nonce otherwise: one encoding per proof), and its work must hold on this transcript.
    /// </summary>
    private static bool CheckGrinding(Transcript transcript, LigeroCommitment commitment, LigeroOpening opening)
    {
        int bits = commitment.Parameters.GrindingBits;
        if (bits == 0) return opening.GrindingNonce is null;
        return opening.GrindingNonce is { } nonce && transcript.VerifyWork("ligero.grind", bits, nonce);
    }

    /// <summary>Queries uniform positions in [0, ColumnCount) (a power of two &lt;= 2^32 divides p - 1, so masking bits is unbiased to 2^-32), sorted, duplicates removed.</summary>
    private static int[] QueryIndices(Transcript transcript, LigeroCommitment commitment)
    {
        ulong mask = (ulong)commitment.ColumnCount - 1;
        var indices = new SortedSet<int>();
        for (int q = 0; q < commitment.Parameters.Queries; q++) indices.Add((int)(transcript.ChallengeBase("ligero.query").Value & mask));
        return [.. indices];
    }

    /// <summary>Columns per block of <see cref="Combine"/>: its two accumulators (16 KiB) and a row's stretch stay in L1.</summary>
    private const int CombineBlock = 1024;

    /// <summary>
    /// destination[offset + c] = sum_k weights[k] messages[k][c] for c &lt; length, over the first weights.Length rows: by
    /// column blocks (in parallel when large), each block's two coordinate sums accumulated in vector lanes.
    /// </summary>
    private static void Combine(Goldilocks[][] messages, GoldilocksExt2[] weights, GoldilocksExt2[] destination, int offset, int length)
    {
        int blocks = (length + CombineBlock - 1) / CombineBlock;
        if (blocks > 1 && (long)weights.Length * length >= 1 << 16)
            Parallel.For(0, blocks, b => CombineBlockAt(messages, weights, destination, offset, b * CombineBlock, Math.Min(CombineBlock, length - b * CombineBlock)));
        else
            for (int b = 0; b < blocks; b++) CombineBlockAt(messages, weights, destination, offset, b * CombineBlock, Math.Min(CombineBlock, length - b * CombineBlock));
    }

    private static void CombineBlockAt(Goldilocks[][] messages, GoldilocksExt2[] weights, GoldilocksExt2[] destination, int offset, int from, int count)
    {
        Span<Goldilocks> sum0 = stackalloc Goldilocks[CombineBlock], sum1 = stackalloc Goldilocks[CombineBlock];
        sum0 = sum0[..count];
        sum1 = sum1[..count];
        sum0.Clear();
        sum1.Clear();
        for (int k = 0; k < weights.Length; k++)
            GoldilocksRowCombination.AccumulateScaled(messages[k].AsSpan(from, count), weights[k].C0, weights[k].C1, sum0, sum1);
        var target = destination.AsSpan(offset + from, count);
        for (int c = 0; c < count; c++) target[c] = new GoldilocksExt2(sum0[c], sum1[c]);
    }

    private static GoldilocksExt2 InnerProduct(ReadOnlySpan<GoldilocksExt2> a, ReadOnlySpan<GoldilocksExt2> b)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static GoldilocksExt2 InnerProduct(ReadOnlySpan<GoldilocksExt2> a, ReadOnlySpan<Goldilocks> b)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>The Reed-Solomon codeword of a message: its values as coefficients, evaluated over the subgroup of order <paramref name="length"/>.</summary>
    private static Goldilocks[] Encode(ReadOnlySpan<Goldilocks> message, int length, bool allowParallel = true)
    {
        // The message is the low coefficients; the extension skips the butterflies that would only combine its zero padding.
        // Uninitialised: the extension writes every entry (a 2^22 stack's codewords are hundreds of MB to clear).
        var codeword = GC.AllocateUninitializedArray<Goldilocks>(length);
        Ntt<Goldilocks>.Instance.CosetExtend(message, codeword, Goldilocks.One, allowParallel);
        return codeword;
    }

    /// <summary>The codeword of an extension-field message: the base code applied to each coordinate.</summary>
    private static GoldilocksExt2[] EncodeExt(ReadOnlySpan<GoldilocksExt2> message, int length)
    {
        var m0 = new Goldilocks[message.Length];
        var m1 = new Goldilocks[message.Length];
        for (int i = 0; i < message.Length; i++) (m0[i], m1[i]) = (message[i].C0, message[i].C1);
        var c0 = new Goldilocks[length];
        var c1 = new Goldilocks[length];
        Ntt<Goldilocks>.Instance.CosetExtend(m0, c0, Goldilocks.One);
        Ntt<Goldilocks>.Instance.CosetExtend(m1, c1, Goldilocks.One);
        var result = new GoldilocksExt2[length];
        for (int i = 0; i < length; i++) result[i] = new GoldilocksExt2(c0[i], c1[i]);
        return result;
    }
}
