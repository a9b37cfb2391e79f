namespace ZkMl.Sumcheck;

/// <summary>
/// The public side of a <see cref="LigeroPcs"/> commitment to a multilinear polynomial in <see cref="Variables"/>
/// variables: the table as a 2^<see cref="RowVariables"/> x 2^(Variables - RowVariables) matrix (first variables
/// select the row), each row Reed-Solomon encoded, and the Merkle root over the encoded columns.
/// </summary>
public sealed class LigeroCommitment
{
    /// <summary>Bytes of <see cref="WriteTo"/>'s output.</summary>
    public const int EncodedLength = 4 * 4 + 1 + 32;

    private readonly byte[] _root;

    /// <summary>Builds a commitment from its parts (the root is copied).</summary>
    public LigeroCommitment(LigeroParameters parameters, int variables, int rowVariables, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, LigeroPcs.MaxVariables);
        ArgumentOutOfRangeException.ThrowIfNegative(rowVariables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rowVariables, variables);
        if (root.Length != 32) throw new ArgumentException("A root is 32 bytes.", nameof(root));
        if (parameters.Hiding && rowVariables == 0) throw new ArgumentException("A hiding commitment has at least one row variable (its evaluation mask rides on the first).");
        (Parameters, Variables, RowVariables) = (parameters, variables, rowVariables);
        _root = root.ToArray();
        if (ColumnCount > 1 << LigeroPcs.MaxCodewordLog) throw new ArgumentException("The codeword would exceed the largest supported length.");
    }

    /// <summary>The scheme's parameters.</summary>
    public LigeroParameters Parameters { get; }
    /// <summary>Variables of the committed polynomial.</summary>
    public int Variables { get; }
    /// <summary>log2 of the data rows.</summary>
    public int RowVariables { get; }
    /// <summary>The Merkle root over the encoded columns.</summary>
    public ReadOnlySpan<byte> Root => _root;

    /// <summary>Data rows.</summary>
    public int DataRows => 1 << RowVariables;
    /// <summary>Rows in the committed matrix: the data rows and, when hiding, the proximity mask row and the evaluation mask row.</summary>
    public int Rows => DataRows + (Parameters.Hiding ? 2 : 0);
    /// <summary>Entries of a data row: 2^(Variables - RowVariables).</summary>
    public int RowLength => 1 << (Variables - RowVariables);
    /// <summary>Coefficients of an encoded message: the row length plus the hiding tail, rounded up to a power of two.</summary>
    public int MessageLength => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(RowLength + (Parameters.Hiding ? Parameters.Queries : 0)));
    /// <summary>Codeword length: the message length times the blow-up; also the number of Merkle leaves.</summary>
    public long ColumnCount => (long)MessageLength << Parameters.RateLog;
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
        writer.WriteUInt32((uint)Parameters.Queries);
        writer.WriteByte(Parameters.Hiding ? (byte)1 : (byte)0);
        writer.WriteUInt32((uint)Variables);
        writer.WriteUInt32((uint)RowVariables);
        writer.WriteBytes(_root);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode or describe an unsupported commitment.</exception>
    public static LigeroCommitment ReadFrom(ref ProofReader reader)
    {
        int rateLog = (int)reader.ReadUInt32(4);
        int queries = (int)reader.ReadUInt32(LigeroParameters.MaxQueries);
        byte hiding = reader.ReadByte();
        int variables = (int)reader.ReadUInt32(LigeroPcs.MaxVariables);
        int rowVariables = (int)reader.ReadUInt32((uint)variables);
        var root = reader.ReadBytes(32);
        if (rateLog < 1 || queries < 1 || hiding > 1) throw new ProofFormatException("Invalid commitment parameters.");
        try
        {
            return new LigeroCommitment(new LigeroParameters(rateLog, queries, hiding == 1), variables, rowVariables, root);
        }
        catch (ArgumentException e)
        {
            throw new ProofFormatException(e.Message);
        }
    }
}
