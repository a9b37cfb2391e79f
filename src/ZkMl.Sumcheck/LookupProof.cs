using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A LogUp-GKR lookup proof (<see cref="LogUpLookup"/>): the shape (columns, witness and table variables), the two
/// fractional-sum GKR transcripts (witness side, then table side) and the witness columns' values at the witness point.
/// </summary>
public sealed class LookupProof
{
    /// <summary>Magic of a stand-alone lookup proof.</summary>
    public const string Magic = "ZKLU";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;
    /// <summary>Most witness variables (2^40 looked-up rows).</summary>
    public const int MaxWitnessVariables = 40;

    private readonly GoldilocksExt2[] _messages;
    private readonly GoldilocksExt2[] _columnValues;

    /// <summary>Builds a proof from its parts (copied); the message count must match the shape.</summary>
    public LookupProof(int columns, int witnessVariables, int tableVariables, ReadOnlySpan<GoldilocksExt2> messages, ReadOnlySpan<GoldilocksExt2> columnValues)
    {
        CheckShape(columns, witnessVariables, tableVariables);
        if (messages.Length != MessageCount(witnessVariables, tableVariables)) throw new ArgumentException("Message count does not match the shape.", nameof(messages));
        if (columnValues.Length != columns) throw new ArgumentException("One value per column.", nameof(columnValues));
        (Columns, WitnessVariables, TableVariables) = (columns, witnessVariables, tableVariables);
        _messages = messages.ToArray();
        _columnValues = columnValues.ToArray();
    }

    /// <summary>Columns of the table and the witness.</summary>
    public int Columns { get; }
    /// <summary>log2 of the witness rows.</summary>
    public int WitnessVariables { get; }
    /// <summary>log2 of the table rows.</summary>
    public int TableVariables { get; }
    /// <summary>Both GKR transcripts, witness side first.</summary>
    public ReadOnlySpan<GoldilocksExt2> Messages => _messages;
    /// <summary>The witness columns' claimed values at the witness point.</summary>
    public ReadOnlySpan<GoldilocksExt2> ColumnValues => _columnValues;

    internal static int MessageCount(int witnessVariables, int tableVariables) =>
        checked((int)(FractionalSumGkr.MessageCount(witnessVariables) + FractionalSumGkr.MessageCount(tableVariables)));

    private static void CheckShape(int columns, int witnessVariables, int tableVariables)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, LookupTable.MaxColumns);
        ArgumentOutOfRangeException.ThrowIfLessThan(witnessVariables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(witnessVariables, MaxWitnessVariables);
        ArgumentOutOfRangeException.ThrowIfLessThan(tableVariables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tableVariables, LookupTable.MaxVariables);
    }

    /// <summary>Writes the body (no header), for embedding in a larger proof.</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Columns);
        writer.WriteUInt32((uint)WitnessVariables);
        writer.WriteUInt32((uint)TableVariables);
        writer.Write(_messages);
        writer.Write(_columnValues);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static LookupProof ReadFrom(ref ProofReader reader)
    {
        int columns = (int)reader.ReadUInt32(LookupTable.MaxColumns);
        int witnessVariables = (int)reader.ReadUInt32(MaxWitnessVariables);
        int tableVariables = (int)reader.ReadUInt32(LookupTable.MaxVariables);
        if (columns == 0 || witnessVariables == 0 || tableVariables == 0) throw new ProofFormatException("A lookup has a column and at least two rows on each side.");
        var messages = new GoldilocksExt2[MessageCount(witnessVariables, tableVariables)];
        reader.ReadExt(messages);
        Span<GoldilocksExt2> values = stackalloc GoldilocksExt2[columns];
        reader.ReadExt(values);
        return new LookupProof(columns, witnessVariables, tableVariables, messages, values);
    }

    /// <summary>The stand-alone proof: header (<see cref="Magic"/>, <see cref="FormatVersion"/>) and body.</summary>
    public byte[] ToBytes()
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes <see cref="ToBytes"/>'s output; every byte must be used.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static LookupProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
