namespace ZkMl.Sumcheck;

/// <summary>A <see cref="ZkLinearReduction"/> proof: the zero-knowledge sumcheck over the F'_C Lambda_C and each commitment's hiding opening at its point.</summary>
public sealed class ZkLinearReductionProof
{
    /// <summary>Magic of a stand-alone proof.</summary>
    public const string Magic = "ZKLR";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;

    private readonly LigeroOpening[] _openings;

    /// <summary>Builds a proof from its parts (one opening per commitment, 1..<see cref="ZkLinearReduction.MaxCommitments"/>; the list is copied).</summary>
    public ZkLinearReductionProof(ZkSumcheckProof sumcheck, IReadOnlyList<LigeroOpening> openings)
    {
        ArgumentNullException.ThrowIfNull(sumcheck);
        ArgumentNullException.ThrowIfNull(openings);
        if (openings.Count < 1 || openings.Count > ZkLinearReduction.MaxCommitments) throw new ArgumentException($"1..{ZkLinearReduction.MaxCommitments} openings.", nameof(openings));
        foreach (var opening in openings) ArgumentNullException.ThrowIfNull(opening, nameof(openings));
        Sumcheck = sumcheck;
        _openings = [.. openings];
    }

    /// <summary>The sumcheck over the F'_C and Lambda_C (final values F'_C(r), Lambda_C(r), commitment by commitment).</summary>
    public ZkSumcheckProof Sumcheck { get; }
    /// <summary>Each commitment's hiding opening at the sumcheck's point.</summary>
    public IReadOnlyList<LigeroOpening> Openings => _openings;

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Sumcheck.WriteTo(writer);
        writer.WriteUInt32((uint)_openings.Length);
        foreach (var opening in _openings) opening.WriteTo(writer);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static ZkLinearReductionProof ReadFrom(ref ProofReader reader)
    {
        var sumcheck = ZkSumcheckProof.ReadFrom(ref reader);
        int count = (int)reader.ReadUInt32(ZkLinearReduction.MaxCommitments);
        if (count < 1) throw new ProofFormatException("A reduction opens at least one commitment.");
        var openings = new LigeroOpening[count];
        for (int c = 0; c < count; c++) openings[c] = LigeroOpening.ReadFrom(ref reader);
        return new ZkLinearReductionProof(sumcheck, openings);
    }

    /// <summary>The stand-alone proof: header and body.</summary>
    public byte[] ToBytes()
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes <see cref="ToBytes"/>'s output; every byte must be used.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static ZkLinearReductionProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
