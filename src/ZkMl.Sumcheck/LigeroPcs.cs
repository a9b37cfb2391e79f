using System.Buffers.Binary;
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
/// <para>Binding: queries are checked in the unique-decoding regime (delta / 4, <see cref="LigeroParameters"/>), so a
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
        int rowVariables = ChooseRowVariables(parameters, n);
        var shape = new LigeroCommitment(parameters, n, rowVariables, new byte[32]);
        int dataRows = shape.DataRows, rowLength = shape.RowLength, messageLength = shape.MessageLength;
        int columns = checked((int)shape.ColumnCount);
        var masks = new MaskRandomness(random);
        var messages = new Goldilocks[shape.Rows][];
        var codewords = new Goldilocks[shape.Rows][];
        for (int i = 0; i < shape.Rows; i++)
        {
            var message = new Goldilocks[messageLength];
            if (i < dataRows)
            {
                table.Slice(i * rowLength, rowLength).CopyTo(message);
                if (parameters.Hiding) masks.Fill(message.AsSpan(rowLength, parameters.Queries));
            }
            else masks.Fill(message);
            messages[i] = message;
        }
        using (SumcheckTelemetry.Telemetry.Phase("commit.encode")) Parallel.For(0, shape.Rows, i => codewords[i] = Encode(messages[i], columns));
        var salts = new byte[parameters.Hiding ? 32L * columns : 0];
        masks.Fill(salts);
        using var merkle = SumcheckTelemetry.Telemetry.Phase("commit.merkle");
        var tree = new Blake3MerkleTree(columns, shape.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
                WriteLeaf(codewords, salts, first + j, destination.Slice(j * shape.LeafBytes, shape.LeafBytes));
        });
        var commitment = new LigeroCommitment(parameters, n, rowVariables, tree.Root);
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
        using var phase = SumcheckTelemetry.Telemetry.Phase("open");
        int messageLength = commitment.MessageLength, dataRows = commitment.DataRows;
        var evaluationRows = new GoldilocksExt2[points.Count * messageLength];
        for (int p = 0; p < points.Count; p++)
        {
            var row = evaluationRows.AsSpan(p * messageLength, messageLength);
            Combine(data.Messages, Multilinear.EqTable(points[p].AsSpan(0, commitment.RowVariables)), row);
            if (commitment.Parameters.Hiding)
            {
                GoldilocksExt2 z = MaskWeight(points[p]);
                var rho = data.Messages[dataRows + 1];
                for (int c = 0; c < messageLength; c++) row[c] += z * rho[c];
            }
            values[p] = InnerProduct(row[..commitment.RowLength], Multilinear.EqTable(points[p].AsSpan(commitment.RowVariables)));
        }
        BeginOpening(transcript, commitment, points, values, evaluationRows);
        var gamma = ProximityWeights(transcript, commitment);
        var proximityRow = new GoldilocksExt2[messageLength];
        Combine(data.Messages, gamma[..dataRows], proximityRow);
        if (commitment.Parameters.Hiding)
        {
            // The evaluation mask rho is tested with the data rows; the proximity mask is added with weight 1.
            var (mask, rho, weight) = (data.Messages[dataRows], data.Messages[dataRows + 1], gamma[dataRows]);
            for (int c = 0; c < messageLength; c++) proximityRow[c] += mask[c] + weight * rho[c];
        }
        transcript.Absorb("ligero.proximity", proximityRow);
        var indices = QueryIndices(transcript, commitment);

        int rows = commitment.Rows;
        var columns = new Goldilocks[indices.Length * rows];
        var salts = new byte[commitment.Parameters.Hiding ? 32 * indices.Length : 0];
        for (int q = 0; q < indices.Length; q++)
        {
            for (int k = 0; k < rows; k++) columns[q * rows + k] = data.Codewords[k][indices[q]];
            if (commitment.Parameters.Hiding) data.Salts.AsSpan(32 * indices[q], 32).CopyTo(salts.AsSpan(32 * q));
        }
        var merkle = data.Tree.Open(indices).ToArray();
        return new LigeroOpening(points.Count, messageLength, rows, commitment.Parameters.Hiding, evaluationRows, proximityRow, columns, salts, merkle);
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
        int messageLength = commitment.MessageLength, dataRows = commitment.DataRows, rows = commitment.Rows;
        if (opening.Points != points.Count || opening.MessageLength != messageLength || opening.Rows != rows || opening.Hiding != commitment.Parameters.Hiding)
            return false;
        var eqRows = new GoldilocksExt2[points.Count][];
        var maskWeights = commitment.Parameters.Hiding ? points.Select(MaskWeight).ToArray() : [];
        var evaluationRows = new GoldilocksExt2[points.Count * messageLength];
        for (int p = 0; p < points.Count; p++)
        {
            var row = opening.EvaluationRow(p);
            row.CopyTo(evaluationRows.AsSpan(p * messageLength));
            if (InnerProduct(row[..commitment.RowLength], Multilinear.EqTable(points[p].AsSpan(commitment.RowVariables))) != values[p]) return false;
            eqRows[p] = Multilinear.EqTable(points[p].AsSpan(0, commitment.RowVariables));
        }
        BeginOpening(transcript, commitment, points, values, evaluationRows);
        var gamma = ProximityWeights(transcript, commitment);
        transcript.Absorb("ligero.proximity", opening.ProximityRow);
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
                GoldilocksExt2 combined = InnerProduct(eqRows[p], column[..dataRows]);
                if (commitment.Parameters.Hiding) combined += maskWeights[p] * column[dataRows + 1];
                if (combined != encodedRows[p][indices[q]]) return false;
            }
            GoldilocksExt2 proximity = InnerProduct(gamma.AsSpan(0, dataRows), column[..dataRows]);
            if (commitment.Parameters.Hiding) proximity += column[dataRows] + gamma[dataRows] * column[dataRows + 1];
            if (proximity != encodedProximity[indices[q]]) return false;
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
    /// Row variables minimising the opening's size for one point: Queries columns of 2^ra (+1) values against two
    /// rows of MessageLength extension elements.
    /// </summary>
    internal static int ChooseRowVariables(LigeroParameters parameters, int variables)
    {
        int best = parameters.Hiding ? 1 : 0;
        long bestBytes = long.MaxValue;
        int tail = parameters.Hiding ? parameters.Queries : 0, maskRows = parameters.Hiding ? 2 : 0, salt = parameters.Hiding ? 32 : 0;
        for (int ra = best; ra <= variables; ra++)
        {
            long messageLength = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)((1L << (variables - ra)) + tail));
            if (messageLength << parameters.RateLog > 1L << MaxCodewordLog) continue;
            long bytes = (long)parameters.Queries * (8L * ((1L << ra) + maskRows) + salt) + 2L * 16 * messageLength;
            if (bytes < bestBytes) (best, bestBytes) = (ra, bytes);
        }
        return best;
    }

    private static void CheckPoints(LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 1 || points.Count > LigeroOpening.MaxPoints) throw new ArgumentException($"1..{LigeroOpening.MaxPoints} points.", nameof(points));
        if (commitment.Parameters.Hiding && points.Count != 1) throw new ArgumentException("A hiding commitment is opened at one point.", nameof(points));
        foreach (var point in points)
            if (point is null || point.Length != commitment.Variables) throw new ArgumentException($"Points have {commitment.Variables} coordinates.", nameof(points));
    }

    /// <summary>Independent weights of the proximity test: one per data row and, when hiding, one for the evaluation mask row.</summary>
    private static GoldilocksExt2[] ProximityWeights(Transcript transcript, LigeroCommitment commitment)
    {
        var gamma = new GoldilocksExt2[commitment.DataRows + (commitment.Parameters.Hiding ? 1 : 0)];
        transcript.ChallengeExt("ligero.gamma", gamma);
        return gamma;
    }

    /// <summary>r_0 (1 - r_0): the evaluation mask's weight, the factor x_0 (1 - x_0) of f' at the point.</summary>
    private static GoldilocksExt2 MaskWeight(GoldilocksExt2[] point) => point[0] * (GoldilocksExt2.One - point[0]);

    private static void BeginOpening(Transcript transcript, LigeroCommitment commitment, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values, GoldilocksExt2[] evaluationRows)
    {
        commitment.AbsorbInto(transcript);
        foreach (var point in points) transcript.Absorb("ligero.point", point);
        transcript.Absorb("ligero.values", values);
        transcript.Absorb("ligero.rows", evaluationRows);
    }

    /// <summary>Queries uniform positions in [0, ColumnCount) (a power of two &lt;= 2^32 divides p - 1, so masking bits is unbiased to 2^-32), sorted, duplicates removed.</summary>
    private static int[] QueryIndices(Transcript transcript, LigeroCommitment commitment)
    {
        ulong mask = (ulong)commitment.ColumnCount - 1;
        var indices = new SortedSet<int>();
        for (int q = 0; q < commitment.Parameters.Queries; q++) indices.Add((int)(transcript.ChallengeBase("ligero.query").Value & mask));
        return [.. indices];
    }

    /// <summary>destination[c] = sum_k weights[k] messages[k][c] over the first weights.Length rows.</summary>
    private static void Combine(Goldilocks[][] messages, GoldilocksExt2[] weights, Span<GoldilocksExt2> destination)
    {
        destination.Clear();
        for (int k = 0; k < weights.Length; k++)
        {
            var message = messages[k];
            GoldilocksExt2 w = weights[k];
            for (int c = 0; c < destination.Length; c++) destination[c] += w * message[c];
        }
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
    private static Goldilocks[] Encode(ReadOnlySpan<Goldilocks> message, int length)
    {
        var codeword = new Goldilocks[length];
        message.CopyTo(codeword);
        Ntt<Goldilocks>.Instance.Forward(codeword);
        return codeword;
    }

    /// <summary>The codeword of an extension-field message: the base code applied to each coordinate.</summary>
    private static GoldilocksExt2[] EncodeExt(ReadOnlySpan<GoldilocksExt2> message, int length)
    {
        var c0 = new Goldilocks[length];
        var c1 = new Goldilocks[length];
        for (int i = 0; i < message.Length; i++) (c0[i], c1[i]) = (message[i].C0, message[i].C1);
        Ntt<Goldilocks>.Instance.Forward(c0);
        Ntt<Goldilocks>.Instance.Forward(c1);
        var result = new GoldilocksExt2[length];
        for (int i = 0; i < length; i++) result[i] = new GoldilocksExt2(c0[i], c1[i]);
        return result;
    }

    private static void WriteLeaf(Goldilocks[][] codewords, byte[] salts, int column, Span<byte> destination)
    {
        for (int k = 0; k < codewords.Length; k++) BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(8 * k, 8), codewords[k][column].Value);
        if (salts.Length > 0) salts.AsSpan(32 * column, 32).CopyTo(destination[(8 * codewords.Length)..]);
    }
}
