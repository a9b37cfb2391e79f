using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="LigeroPcs"/> evaluation proof for one commitment at one or more points: per point the combined row
/// eq(r_row)^T M (a message of MessageLength coefficients), the proximity row gamma^T M (+ the mask row when hiding),
/// the queried columns (with their salts when hiding) in increasing index order, and one Merkle multi-proof; with
/// grinding (<see cref="LigeroParameters.GrindingBits"/>) the proof-of-work nonce the queries were drawn after.
/// </summary>
public sealed class LigeroOpening
{
    /// <summary>Magic of a stand-alone opening.</summary>
    public const string Magic = "ZKLG";
    /// <summary>
    /// Format version of <see cref="ToBytes"/> for a hiding opening: 2, rows of <see cref="LigeroCommitment.SentLength"/>
    /// coefficients (version 1 rounded them up to a power of two and is refused).
    /// </summary>
    public const ushort FormatVersion = 2;
    /// <summary>Format version of a non-hiding opening (unchanged since before hiding existed).</summary>
    public const ushort NonHidingFormatVersion = 1;
    /// <summary>
    /// Format version of an opening that carries a grinding nonce (hiding or not): 3. The body's flag byte has bit 1 set
    /// and the nonce follows the counts; versions 1 and 2 have no nonce, so a verifier pinning grinding refuses them.
    /// </summary>
    public const ushort GrindingFormatVersion = 3;
    /// <summary>Most points one opening proves.</summary>
    public const int MaxPoints = 64;

    private readonly GoldilocksExt2[] _evaluationRows, _proximityRow;
    private readonly Goldilocks[] _columns;
    private readonly byte[] _salts;
    private readonly byte[][] _merkleProof;

    /// <summary>Builds an opening from its parts (not copied: the prover hands over fresh arrays).</summary>
    public LigeroOpening(int points, int messageLength, int rows, bool hiding, GoldilocksExt2[] evaluationRows, GoldilocksExt2[] proximityRow,
        Goldilocks[] columns, byte[] salts, byte[][] merkleProof, ulong? grindingNonce = null)
    {
        ArgumentNullException.ThrowIfNull(evaluationRows);
        ArgumentNullException.ThrowIfNull(proximityRow);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(salts);
        ArgumentNullException.ThrowIfNull(merkleProof);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(points, MaxPoints);
        ArgumentOutOfRangeException.ThrowIfLessThan(messageLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (evaluationRows.Length != (long)points * messageLength || proximityRow.Length != messageLength) throw new ArgumentException("Rows of the wrong length.");
        if (columns.Length % rows != 0) throw new ArgumentException("Columns of the wrong length.", nameof(columns));
        if (salts.Length != (hiding ? 32 * (columns.Length / rows) : 0)) throw new ArgumentException("One 32-byte salt per column when hiding.", nameof(salts));
        foreach (var digest in merkleProof)
            if (digest is null || digest.Length != 32) throw new ArgumentException("Digests are 32 bytes.", nameof(merkleProof));
        (Points, MessageLength, Rows, Hiding, GrindingNonce) = (points, messageLength, rows, hiding, grindingNonce);
        (_evaluationRows, _proximityRow, _columns, _salts, _merkleProof) = (evaluationRows, proximityRow, columns, salts, merkleProof);
    }

    /// <summary>Number of points.</summary>
    public int Points { get; }
    /// <summary>Coefficients per row message.</summary>
    public int MessageLength { get; }
    /// <summary>Values per opened column.</summary>
    public int Rows { get; }
    /// <summary>Whether columns carry salts.</summary>
    public bool Hiding { get; }
    /// <summary>The proof-of-work nonce the queries were drawn after; null without grinding.</summary>
    public ulong? GrindingNonce { get; }
    /// <summary>Number of opened columns.</summary>
    public int OpenedColumns => _columns.Length / Rows;

    /// <summary>Point <paramref name="index"/>'s combined row.</summary>
    public ReadOnlySpan<GoldilocksExt2> EvaluationRow(int index) => _evaluationRows.AsSpan(index * MessageLength, MessageLength);
    /// <summary>The proximity row.</summary>
    public ReadOnlySpan<GoldilocksExt2> ProximityRow => _proximityRow;
    /// <summary>Opened column <paramref name="index"/> (in increasing column order).</summary>
    public ReadOnlySpan<Goldilocks> Column(int index) => _columns.AsSpan(index * Rows, Rows);
    /// <summary>Opened column <paramref name="index"/>'s salt (empty when not hiding).</summary>
    public ReadOnlySpan<byte> Salt(int index) => Hiding ? _salts.AsSpan(32 * index, 32) : [];
    /// <summary>The Merkle multi-proof's sibling digests.</summary>
    public IReadOnlyList<byte[]> MerkleProof => _merkleProof;

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Points);
        writer.WriteUInt32((uint)MessageLength);
        writer.WriteUInt32((uint)Rows);
        writer.WriteByte((byte)((Hiding ? 1 : 0) | (GrindingNonce is null ? 0 : 2)));
        writer.WriteUInt32((uint)OpenedColumns);
        writer.WriteUInt32((uint)_merkleProof.Length);
        if (GrindingNonce is { } nonce) writer.WriteUInt64(nonce);
        writer.Write(_evaluationRows);
        writer.Write(_proximityRow);
        foreach (Goldilocks v in _columns) writer.Write(v);
        writer.WriteBytes(_salts);
        foreach (var digest in _merkleProof) writer.WriteBytes(digest);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>; every count is checked against the bytes left before anything is allocated.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static LigeroOpening ReadFrom(ref ProofReader reader)
    {
        int points = (int)reader.ReadUInt32(MaxPoints);
        int messageLength = (int)reader.ReadUInt32(1u << LigeroPcs.MaxCodewordLog);
        int rows = (int)reader.ReadUInt32((1u << LigeroPcs.MaxVariables) + 1);
        byte flags = reader.ReadByte();
        int hiding = flags & 1;
        bool grinding = (flags & 2) != 0;
        int opened = (int)reader.ReadUInt32(LigeroParameters.MaxQueries);
        int digests = (int)reader.ReadUInt32(LigeroParameters.MaxQueries * (uint)LigeroPcs.MaxCodewordLog);
        if (points == 0 || messageLength == 0 || rows == 0 || opened == 0 || flags > 3) throw new ProofFormatException("Invalid opening shape.");
        ulong? nonce = grinding ? reader.ReadUInt64() : null;
        long needed = 16L * (points + 1) * messageLength + (long)opened * (8L * rows + (hiding == 1 ? 32 : 0)) + 32L * digests;
        if (needed > reader.Remaining) throw new ProofFormatException($"The opening's shape needs {needed} bytes, {reader.Remaining} are left.");
        var evaluationRows = new GoldilocksExt2[points * messageLength];
        reader.ReadExt(evaluationRows);
        var proximityRow = new GoldilocksExt2[messageLength];
        reader.ReadExt(proximityRow);
        var columns = new Goldilocks[opened * rows];
        for (int i = 0; i < columns.Length; i++) columns[i] = reader.ReadBase();
        var salts = reader.ReadBytes(hiding == 1 ? 32 * opened : 0);
        var proof = new byte[digests][];
        for (int i = 0; i < digests; i++) proof[i] = reader.ReadBytes(32);
        return new LigeroOpening(points, messageLength, rows, hiding == 1, evaluationRows, proximityRow, columns, salts, proof, nonce);
    }

    /// <summary>The stand-alone opening: header (<see cref="Magic"/>, <see cref="FormatVersion"/>) and body.</summary>
    public byte[] ToBytes()
    {
        var writer = new ProofWriter(Magic, GrindingNonce is not null ? GrindingFormatVersion : Hiding ? FormatVersion : NonHidingFormatVersion);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes <see cref="ToBytes"/>'s output; every byte must be used.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static LigeroOpening FromBytes(ReadOnlySpan<byte> bytes)
    {
        ushort version = bytes.Length >= 6 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..6]) : FormatVersion;
        var reader = new ProofReader(bytes, Magic, version is NonHidingFormatVersion or GrindingFormatVersion ? version : FormatVersion);
        var opening = ReadFrom(ref reader);
        reader.EnsureEnd();
        if ((opening.GrindingNonce is not null) != (version == GrindingFormatVersion))
            throw new ProofFormatException($"An opening with a grinding nonce has format version {GrindingFormatVersion}, one without has 1 or 2.");
        if (version != GrindingFormatVersion && opening.Hiding != (version == FormatVersion))
            throw new ProofFormatException(opening.Hiding
                ? $"A hiding opening of format version {version} (rows rounded up to a power of two) is no longer read; version {FormatVersion} is."
                : $"A non-hiding opening has format version {NonHidingFormatVersion}.");
        return opening;
    }
}
