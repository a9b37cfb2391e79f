using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="ZkLinearReduction"/> proof: the zero-knowledge sumcheck over the F'_C Lambda_C (mask sum, round messages,
/// one final value F'_C(r) per commitment, the Libra mask's value; each Lambda_C(r) is public and recomputed by the
/// verifier) and each commitment's hiding opening at its point. Format version 2 (version 1 sent a padded sumcheck's
/// proof with every Lambda_C(r) and is refused).
/// </summary>
public sealed class ZkLinearReductionProof
{
    /// <summary>Magic of a stand-alone proof.</summary>
    public const string Magic = "ZKLR";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 2;

    private readonly LigeroOpening[] _openings;
    private readonly GoldilocksExt2[] _roundMessages, _finalValues;

    /// <summary>
    /// Builds a proof from its parts: the sumcheck over <paramref name="variables"/> variables, one final value and one
    /// opening per commitment (1..<see cref="ZkLinearReduction.MaxCommitments"/>; everything is copied).
    /// </summary>
    public ZkLinearReductionProof(int variables, GoldilocksExt2 maskSum, ReadOnlySpan<GoldilocksExt2> roundMessages, ReadOnlySpan<GoldilocksExt2> finalValues,
        GoldilocksExt2 maskValue, IReadOnlyList<LigeroOpening> openings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, SumcheckProof.MaxVariables);
        if (roundMessages.Length > variables * SumcheckProof.MaxDegree) throw new ArgumentException("Too many round values.", nameof(roundMessages));
        ArgumentNullException.ThrowIfNull(openings);
        if (openings.Count < 1 || openings.Count > ZkLinearReduction.MaxCommitments) throw new ArgumentException($"1..{ZkLinearReduction.MaxCommitments} openings.", nameof(openings));
        if (finalValues.Length != openings.Count) throw new ArgumentException("One final value per opening.", nameof(finalValues));
        foreach (var opening in openings) ArgumentNullException.ThrowIfNull(opening, nameof(openings));
        (Variables, MaskSum, MaskValue) = (variables, maskSum, maskValue);
        _roundMessages = roundMessages.ToArray();
        _finalValues = finalValues.ToArray();
        _openings = [.. openings];
    }

    /// <summary>Variables n of the sumcheck (the largest commitment's).</summary>
    public int Variables { get; }
    /// <summary>G, the Libra mask's sum over the hypercube.</summary>
    public GoldilocksExt2 MaskSum { get; }
    /// <summary>The round messages (round i's values at 0, 2, 3, ..).</summary>
    public ReadOnlySpan<GoldilocksExt2> RoundMessages => _roundMessages;
    /// <summary>F'_C at the point's last n_C coordinates, commitment by commitment.</summary>
    public ReadOnlySpan<GoldilocksExt2> FinalValues => _finalValues;
    /// <summary>The Libra mask's value g'(r).</summary>
    public GoldilocksExt2 MaskValue { get; }
    /// <summary>Each commitment's hiding opening at the sumcheck's point.</summary>
    public IReadOnlyList<LigeroOpening> Openings => _openings;

    /// <summary>The same proof with other openings (for tests and tools that rearrange parts).</summary>
    public ZkLinearReductionProof WithOpenings(IReadOnlyList<LigeroOpening> openings) => new(Variables, MaskSum, _roundMessages, _finalValues, MaskValue, openings);

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Variables);
        writer.WriteUInt32((uint)_roundMessages.Length);
        writer.WriteUInt32((uint)_openings.Length);
        writer.Write(MaskSum);
        writer.Write(_roundMessages);
        writer.Write(_finalValues);
        writer.Write(MaskValue);
        foreach (var opening in _openings) opening.WriteTo(writer);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>; counts are checked against the bytes left before anything is allocated.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static ZkLinearReductionProof ReadFrom(ref ProofReader reader)
    {
        int variables = (int)reader.ReadUInt32(SumcheckProof.MaxVariables);
        int messages = (int)reader.ReadUInt32((uint)(SumcheckProof.MaxVariables * SumcheckProof.MaxDegree));
        int count = (int)reader.ReadUInt32(ZkLinearReduction.MaxCommitments);
        if (variables == 0 || count == 0 || messages > variables * SumcheckProof.MaxDegree) throw new ProofFormatException("Invalid reduction shape.");
        long needed = 16L * (messages + count + 2);
        if (needed > reader.Remaining) throw new ProofFormatException($"The reduction's shape needs {needed} bytes, {reader.Remaining} are left.");
        GoldilocksExt2 maskSum = reader.ReadExt();
        var rounds = new GoldilocksExt2[messages];
        reader.ReadExt(rounds);
        var finals = new GoldilocksExt2[count];
        reader.ReadExt(finals);
        GoldilocksExt2 maskValue = reader.ReadExt();
        var openings = new LigeroOpening[count];
        for (int c = 0; c < count; c++) openings[c] = LigeroOpening.ReadFrom(ref reader);
        return new ZkLinearReductionProof(variables, maskSum, rounds, finals, maskValue, openings);
    }

    /// <summary>The stand-alone proof: header and body.</summary>
    public byte[] ToBytes()
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes <see cref="ToBytes"/>'s output; every byte must be used.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode, or are of another format version (version 1 is no longer read).</exception>
    public static ZkLinearReductionProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
