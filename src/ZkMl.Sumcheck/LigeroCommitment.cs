namespace ZkMl.Sumcheck;

/// <summary>
/// The public side of a <see cref="LigeroPcs"/> commitment to a multilinear polynomial in <see cref="Variables"/>
/// variables: the table as a 2^<see cref="RowVariables"/> x 2^(Variables - RowVariables) matrix (first variables
/// select the row), each row Reed-Solomon encoded, and the Merkle root over the encoded columns. A non-hiding commitment
/// or a hiding one may commit only its first <see cref="DataRows"/> rows, the rest known to be zero (a table with a zero
/// tail, such as a step's stacked tables: fewer values per opened column). A hiding commitment appends its mask rows: per opening slot a proximity mask pair, then per evaluation slot an evaluation mask pair (each
/// pair the two base-field coordinates of an extension-field row).
/// </summary>
public sealed class LigeroCommitment
{
    /// <summary>Bytes of <see cref="WriteTo"/>'s output (4 more for a hiding commitment whose evaluation slots differ from its openings, or for one with fewer data rows than 2^RowVariables).</summary>
    public const int EncodedLength = 4 * 4 + 1 + 32;

    private readonly byte[] _root;

    /// <summary>Builds a commitment from its parts (the root is copied); a hiding one has one evaluation slot per opening.</summary>
    public LigeroCommitment(LigeroParameters parameters, int variables, int rowVariables, ReadOnlySpan<byte> root)
        : this(parameters, variables, rowVariables, root, parameters?.Openings ?? 1)
    {
    }

    /// <summary>As the public constructor with <paramref name="evaluationMasks"/> evaluation slots (a multi-point opening's layout).</summary>
    internal LigeroCommitment(LigeroParameters parameters, int variables, int rowVariables, ReadOnlySpan<byte> root, int evaluationMasks, int dataRows = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, LigeroPcs.MaxVariables);
        ArgumentOutOfRangeException.ThrowIfNegative(rowVariables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowVariables, variables);
        if (root.Length != 32) throw new ArgumentException("A root is 32 bytes.", nameof(root));
        if (parameters.Hiding && rowVariables == 0) throw new ArgumentException("A hiding commitment has at least one row variable (its evaluation mask rides on the first).");
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluationMasks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(evaluationMasks, MaxEvaluationMasks);
        if (!parameters.Hiding && evaluationMasks != 1) throw new ArgumentException("Only a hiding commitment has evaluation masks.", nameof(evaluationMasks));
        if (dataRows == 0) dataRows = 1 << rowVariables;
        ArgumentOutOfRangeException.ThrowIfLessThan(dataRows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dataRows, 1 << rowVariables);
        (Parameters, Variables, RowVariables, EvaluationMasks, DataRows) = (parameters, variables, rowVariables, evaluationMasks, dataRows);
        _root = root.ToArray();
        if (ColumnCount > 1 << LigeroPcs.MaxCodewordLog) throw new ArgumentException("The codeword would exceed the largest supported length.");
        if (parameters.Compact && SentLength >= ColumnCount) throw new ArgumentException("A compact hiding commitment needs the hiding tail within RL (2^RateLog - 1).");
    }

    /// <summary>Most evaluation slots of one commitment.</summary>
    public const int MaxEvaluationMasks = 64;

    /// <summary>The scheme's parameters.</summary>
    public LigeroParameters Parameters { get; }
    /// <summary>Variables of the committed polynomial.</summary>
    public int Variables { get; }
    /// <summary>log2 of the data rows.</summary>
    public int RowVariables { get; }
    /// <summary>The Merkle root over the encoded columns.</summary>
    public ReadOnlySpan<byte> Root => _root;

    /// <summary>Evaluation mask slots (hiding): <see cref="LigeroParameters.Openings"/> unless built for a multi-point opening.</summary>
    public int EvaluationMasks { get; }

    /// <summary>Committed data rows: 2^RowVariables, or fewer when the table's tail rows are zero.</summary>
    public int DataRows { get; }
    /// <summary>Rows in the committed matrix: the data rows and, when hiding, two rows per proximity slot and per evaluation slot.</summary>
    public int Rows => DataRows + (Parameters.Hiding ? 2 * Parameters.Openings + 2 * EvaluationMasks : 0);
    /// <summary>Index of the first row of proximity slot <paramref name="slot"/>'s mask pair.</summary>
    internal int ProximityMaskRow(int slot) => DataRows + 2 * slot;
    /// <summary>Index of the first row of evaluation slot <paramref name="slot"/>'s mask pair.</summary>
    internal int EvaluationMaskRow(int slot) => DataRows + 2 * Parameters.Openings + 2 * slot;
    /// <summary>Entries of a data row: 2^(Variables - RowVariables).</summary>
    public int RowLength => 1 << (Variables - RowVariables);
    /// <summary>Coefficients of an encoded message: the row length plus the hiding tail (Openings x Queries), rounded up to a power of two.</summary>
    public int MessageLength => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(RowLength + (Parameters.Hiding ? Parameters.Openings * Parameters.Queries : 0)));
    /// <summary>
    /// Coefficients of a row as an opening sends it: the row length plus the hiding tail (Openings x Queries), not
    /// rounded up. Every committed message (data rows and, when hiding, mask rows) is zero beyond it, so the verifier pads
    /// a received row with zeros to <see cref="MessageLength"/> before encoding: a row that passes is a codeword of the
    /// subcode of messages of this length, whose rate SentLength / ColumnCount is at most 2^-RateLog.
    /// </summary>
    public int SentLength => RowLength + (Parameters.Hiding ? Parameters.Openings * Parameters.Queries : 0);
    /// <summary>
    /// -log2 of this commitment's per-opening query error at its actual rate rho_s = <see cref="SentLength"/> /
    /// <see cref="ColumnCount"/> (the committed messages are zero beyond SentLength, so every row a passing opening shows is
    /// a codeword of that subcode): Queries log2(2 / (1 + rho_s)) (README, "Ligero soundness" and "Zero knowledge" item 1).
    /// Equal to <see cref="LigeroParameters.SoundnessBits"/> without hiding; with hiding above it when the rows fill
    /// less than the power-of-two message (e.g. 2^21 entries at rate 1/8, 112 queries, 2^13-entry rows: rho_s =
    /// 8,304 / 2^17, 102.1 bits against 93.0 at 1/8) and below it with compact codewords (rho_s slightly above 2^-RateLog).
    /// Pinned by the verifier through the row split (<see cref="IsCanonical"/>, <see cref="ReadPinned"/>). Plus
    /// <see cref="LigeroParameters.GrindingBits"/> (the proof of work before the queries; conjectured).
    /// </summary>
    public double SoundnessBits => Parameters.Queries * -Math.Log2((1 + (double)SentLength / ColumnCount) / 2) + Parameters.GrindingBits;
    /// <summary>Codeword length: the message length times the blow-up; also the number of Merkle leaves.</summary>
    public long ColumnCount => (long)(Parameters.Compact ? RowLength : MessageLength) << Parameters.RateLog;
    /// <summary>
    /// Whether the row split is the canonical one (<see cref="LigeroPcs.RowVariables"/>) for these parameters, variables,
    /// evaluation slots and data rows. Every commitment <see cref="LigeroPcs"/> makes is canonical (for a zero-tailed
    /// table of E entries the split chosen for E is also the one chosen for DataRows x RowLength entries: the other
    /// splits' costs only grow with the entries, this one's is unchanged), and its verifications refuse any other.
    /// </summary>
    public bool IsCanonical => RowVariables == LigeroPcs.ChooseRowVariables(Parameters, Variables, (long)DataRows << (Variables - RowVariables), EvaluationMasks);

    /// <summary>
    /// The shape (zero root) of the canonical commitment with <paramref name="parameters"/> to a table of
    /// <paramref name="variables"/> variables whose first <paramref name="entries"/> values are committed (0: all; fewer
    /// commit only the rows they reach, as <c>CommitZeroTail</c>), with <paramref name="evaluationMasks"/> evaluation slots
    /// (0: one per opening): what a verifier expects, and what <see cref="SoundnessBits"/> and <see cref="ColumnCount"/>
    /// are computed on before any commitment exists.
    /// </summary>
    public static LigeroCommitment Canonical(LigeroParameters parameters, int variables, long entries = 0, int evaluationMasks = 0)
    {
        int rowVariables = LigeroPcs.RowVariables(parameters, variables, entries, evaluationMasks);
        if (entries == 0) entries = 1L << variables;
        int dataRows = (int)((entries + (1L << (variables - rowVariables)) - 1) >> (variables - rowVariables));
        return new LigeroCommitment(parameters, variables, rowVariables, new byte[32], evaluationMasks == 0 ? parameters.Openings : evaluationMasks, dataRows);
    }

    /// <summary>
    /// The shape (zero root) of a commitment with an explicit row split and <paramref name="dataRows"/> committed rows
    /// (0: all): a caller's own layout (e.g. <see cref="ZkSumcheckMaskSet"/>'s one column of Libra coefficients), for its
    /// <see cref="SoundnessBits"/> and <see cref="ColumnCount"/>.
    /// </summary>
    public static LigeroCommitment Shape(LigeroParameters parameters, int variables, int rowVariables, int evaluationMasks, int dataRows = 0) =>
        new(parameters, variables, rowVariables, new byte[32], evaluationMasks, dataRows);

    /// <summary>
    /// Reads a commitment whose whole shape the verifier pins: exactly <see cref="Canonical"/>(parameters, variables,
    /// entries, evaluationMasks) but for the root. Nothing of the shape is the prover's choice.
    /// </summary>
    /// <exception cref="LigeroShapeException">The parameters, variables, evaluation slots, row split or data rows differ.</exception>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static LigeroCommitment ReadPinned(ref ProofReader reader, LigeroParameters parameters, int variables, long entries = 0, int evaluationMasks = 0)
    {
        var expected = Canonical(parameters, variables, entries, evaluationMasks);
        var read = ReadFrom(ref reader);
        if (read.Parameters != expected.Parameters) throw new LigeroShapeException($"Commitment parameters {read.Parameters}, expected {expected.Parameters}.");
        if (read.Variables != expected.Variables) throw new LigeroShapeException($"A commitment to {read.Variables} variables, expected {expected.Variables}.");
        if (read.EvaluationMasks != expected.EvaluationMasks) throw new LigeroShapeException($"{read.EvaluationMasks} evaluation slots, expected {expected.EvaluationMasks}.");
        if (read.RowVariables != expected.RowVariables) throw new LigeroShapeException($"Row split 2^{read.RowVariables} rows, expected 2^{expected.RowVariables}.");
        if (read.DataRows != expected.DataRows) throw new LigeroShapeException($"{read.DataRows} data rows, expected {expected.DataRows}.");
        return read;
    }

    /// <summary>Throws unless the row split is canonical (<see cref="IsCanonical"/>).</summary>
    /// <exception cref="LigeroShapeException">The split is not the canonical one.</exception>
    public void RequireCanonical()
    {
        if (!IsCanonical)
            throw new LigeroShapeException($"Row split 2^{RowVariables} rows is not the canonical split of a {Variables}-variable commitment with {DataRows} data rows ({Parameters}).");
    }

    /// <summary>Bytes of a Merkle leaf: one column, then a 32-byte salt when hiding.</summary>
    public int LeafBytes => 8 * Rows + (Parameters.Hiding ? 32 : 0);

    /// <summary>Absorbs everything the verifier knows of the commitment.</summary>
    public void AbsorbInto(Transcript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var writer = new ProofWriter("LGCM", 1);
        WriteTo(writer);
        transcript.Absorb("ligero.commitment", writer.ToArray());
    }

    /// <summary>Writes the commitment (parameters, shape, root).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Parameters.RateLog);
        // Grinding bits in the top byte of the queries word (zero without grinding: the encoding is unchanged).
        writer.WriteUInt32((uint)Parameters.Queries | (uint)Parameters.GrindingBits << 24);
        // Hiding byte: 0, or the openings (1..16), or 0x80 | openings followed by the evaluation slots when they differ;
        // with a zero tail 0x40 is added (0x40 alone: non-hiding) and the data rows follow; compact codewords add 0x20.
        bool custom = Parameters.Hiding && EvaluationMasks != Parameters.Openings, trimmed = DataRows != 1 << RowVariables;
        writer.WriteByte((byte)((Parameters.Hiding ? Parameters.Openings | (custom ? 0x80 : 0) | (Parameters.Compact ? 0x20 : 0) : 0) | (trimmed ? 0x40 : 0)));
        if (custom) writer.WriteUInt32((uint)EvaluationMasks);
        if (trimmed) writer.WriteUInt32((uint)DataRows);
        writer.WriteUInt32((uint)Variables);
        writer.WriteUInt32((uint)RowVariables);
        writer.WriteBytes(_root);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode or describe an unsupported commitment.</exception>
    public static LigeroCommitment ReadFrom(ref ProofReader reader)
    {
        int rateLog = (int)reader.ReadUInt32(4);
        uint queriesWord = reader.ReadUInt32(uint.MaxValue);
        int queries = (int)(queriesWord & 0xFFFFFF), grinding = (int)(queriesWord >> 24);
        if (queries > LigeroParameters.MaxQueries || grinding > Transcript.MaxWorkBits) throw new ProofFormatException("Invalid commitment parameters.");
        byte hiding = reader.ReadByte();
        bool trimmed = (hiding & 0x40) != 0;
        bool compact = (hiding & 0x20) != 0;
        hiding = (byte)(hiding & ~0x60);
        int openings = hiding & 0x7F;
        int evaluationMasks = (hiding & 0x80) != 0 ? (int)reader.ReadUInt32(MaxEvaluationMasks) : Math.Max(openings, 1);
        int dataRows = trimmed ? (int)reader.ReadUInt32(1u << LigeroPcs.MaxVariables) : 0;
        int variables = (int)reader.ReadUInt32(LigeroPcs.MaxVariables);
        int rowVariables = (int)reader.ReadUInt32((uint)variables);
        var root = reader.ReadBytes(32);
        if (rateLog < 1 || queries < 1 || openings > LigeroParameters.MaxOpenings || (hiding != 0 && openings == 0)
            || ((hiding & 0x80) != 0 && evaluationMasks == openings) || (trimmed && (dataRows == 0 || dataRows >= 1L << rowVariables)) || (compact && hiding == 0))
            throw new ProofFormatException("Invalid commitment parameters.");
        try
        {
            return new LigeroCommitment(new LigeroParameters(rateLog, queries, hiding != 0, Math.Max(openings, 1), compact, grinding), variables, rowVariables, root, evaluationMasks, dataRows);
        }
        catch (ArgumentException e)
        {
            throw new ProofFormatException(e.Message);
        }
    }
}
