using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="MaskedSumcheck"/> proof: the mask's sum, the round polynomials of prod f_j + rho g (values at
/// 0, 2..k), the factors' and the mask's values at the final point, and the sumcheck reducing the mask's value to its
/// coefficient table at a point.
/// </summary>
public sealed class MaskedSumcheckProof
{
    /// <summary>Magic of a stand-alone masked sumcheck proof.</summary>
    public const string Magic = "ZKMS";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;

    private readonly GoldilocksExt2[] _roundMessages, _finalEvaluations;

    /// <summary>Builds a proof from its parts (arrays copied).</summary>
    public MaskedSumcheckProof(int variables, int degree, Goldilocks maskSum, ReadOnlySpan<GoldilocksExt2> roundMessages,
        ReadOnlySpan<GoldilocksExt2> finalEvaluations, GoldilocksExt2 maskValue, SumcheckProof maskProof)
    {
        ArgumentNullException.ThrowIfNull(maskProof);
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, SumcheckProof.MaxVariables);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(degree, SumcheckProof.MaxDegree);
        if (roundMessages.Length != variables * degree) throw new ArgumentException("Expected variables x degree round values.", nameof(roundMessages));
        if (finalEvaluations.Length != degree) throw new ArgumentException("One final value per factor.", nameof(finalEvaluations));
        (Variables, Degree, MaskSum, MaskValue, MaskProof) = (variables, degree, maskSum, maskValue, maskProof);
        _roundMessages = roundMessages.ToArray();
        _finalEvaluations = finalEvaluations.ToArray();
    }

    /// <summary>Rounds.</summary>
    public int Variables { get; }
    /// <summary>Factors (round polynomial degree).</summary>
    public int Degree { get; }
    /// <summary>sum over the hypercube of the mask g.</summary>
    public Goldilocks MaskSum { get; }
    /// <summary>All round messages, round by round.</summary>
    public ReadOnlySpan<GoldilocksExt2> RoundMessages => _roundMessages;
    /// <summary>Round <paramref name="round"/>'s polynomial at 0, 2, ..., Degree.</summary>
    public ReadOnlySpan<GoldilocksExt2> RoundMessage(int round) => _roundMessages.AsSpan(round * Degree, Degree);
    /// <summary>The factors' claimed values at the final point.</summary>
    public ReadOnlySpan<GoldilocksExt2> FinalEvaluations => _finalEvaluations;
    /// <summary>The mask's claimed value g(r) at the final point.</summary>
    public GoldilocksExt2 MaskValue { get; }
    /// <summary>The sumcheck of coefficients x powers of r, proving <see cref="MaskValue"/>.</summary>
    public SumcheckProof MaskProof { get; }

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Variables);
        writer.WriteUInt32((uint)Degree);
        writer.Write(MaskSum);
        writer.Write(_roundMessages);
        writer.Write(_finalEvaluations);
        writer.Write(MaskValue);
        MaskProof.WriteTo(writer);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static MaskedSumcheckProof ReadFrom(ref ProofReader reader)
    {
        int variables = (int)reader.ReadUInt32(SumcheckProof.MaxVariables);
        int degree = (int)reader.ReadUInt32(SumcheckProof.MaxDegree);
        if (degree == 0) throw new ProofFormatException("A sumcheck has at least one factor.");
        Goldilocks maskSum = reader.ReadBase();
        var rounds = new GoldilocksExt2[variables * degree];
        reader.ReadExt(rounds);
        var finals = new GoldilocksExt2[degree];
        reader.ReadExt(finals);
        GoldilocksExt2 maskValue = reader.ReadExt();
        var maskProof = SumcheckProof.ReadFrom(ref reader);
        return new MaskedSumcheckProof(variables, degree, maskSum, rounds, finals, maskValue, maskProof);
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
    public static MaskedSumcheckProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
