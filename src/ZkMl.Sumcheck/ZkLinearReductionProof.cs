namespace ZkMl.Sumcheck;

/// <summary>A <see cref="ZkLinearReduction"/> proof: the zero-knowledge sumcheck over F' Lambda and F's hiding opening at its point.</summary>
public sealed class ZkLinearReductionProof
{
    /// <summary>Magic of a stand-alone proof.</summary>
    public const string Magic = "ZKLR";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;

    /// <summary>Builds a proof from its parts.</summary>
    public ZkLinearReductionProof(ZkSumcheckProof sumcheck, LigeroOpening opening)
    {
        ArgumentNullException.ThrowIfNull(sumcheck);
        ArgumentNullException.ThrowIfNull(opening);
        (Sumcheck, Opening) = (sumcheck, opening);
    }

    /// <summary>The sumcheck over F' and Lambda (final values F'(r), Lambda(r)).</summary>
    public ZkSumcheckProof Sumcheck { get; }
    /// <summary>F's hiding opening at the sumcheck's point.</summary>
    public LigeroOpening Opening { get; }

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Sumcheck.WriteTo(writer);
        Opening.WriteTo(writer);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static ZkLinearReductionProof ReadFrom(ref ProofReader reader)
    {
        var sumcheck = ZkSumcheckProof.ReadFrom(ref reader);
        var opening = LigeroOpening.ReadFrom(ref reader);
        return new ZkLinearReductionProof(sumcheck, opening);
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
