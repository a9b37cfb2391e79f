using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The prover's messages in a sumcheck of a product of <see cref="Degree"/> multilinears in <see cref="Variables"/>
/// variables: for each round the round polynomial g (degree &lt;= Degree) as its values at 0, 2, 3, ..., Degree
/// (g(1) is implied by the running claim), then the factors' values at the final point.
/// </summary>
public sealed class SumcheckProof
{
    /// <summary>Magic of a stand-alone sumcheck proof.</summary>
    public const string Magic = "ZKSC";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;
    /// <summary>Largest number of variables a proof may have (tables of up to 2^40 entries).</summary>
    public const int MaxVariables = 40;
    /// <summary>Largest number of factors (the degree of each round polynomial).</summary>
    public const int MaxDegree = 8;

    private readonly GoldilocksExt2[] _roundMessages;
    private readonly GoldilocksExt2[] _finalEvaluations;

    /// <summary>Builds a proof from its messages (copied).</summary>
    /// <param name="variables">Rounds, one per variable.</param>
    /// <param name="degree">Factors in the product.</param>
    /// <param name="roundMessages"><paramref name="variables"/> x <paramref name="degree"/> values, round by round.</param>
    /// <param name="finalEvaluations">The <paramref name="degree"/> factors at the final point.</param>
    public SumcheckProof(int variables, int degree, ReadOnlySpan<GoldilocksExt2> roundMessages, ReadOnlySpan<GoldilocksExt2> finalEvaluations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, MaxVariables);
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(degree, MaxDegree);
        if (roundMessages.Length != variables * degree) throw new ArgumentException("Expected variables x degree round values.", nameof(roundMessages));
        if (finalEvaluations.Length != degree) throw new ArgumentException("Expected one final value per factor.", nameof(finalEvaluations));
        Variables = variables;
        Degree = degree;
        _roundMessages = roundMessages.ToArray();
        _finalEvaluations = finalEvaluations.ToArray();
    }

    /// <summary>Number of rounds (variables summed over).</summary>
    public int Variables { get; }

    /// <summary>Number of factors, the degree of each round polynomial.</summary>
    public int Degree { get; }

    /// <summary>All round messages, round by round.</summary>
    public ReadOnlySpan<GoldilocksExt2> RoundMessages => _roundMessages;

    /// <summary>Round <paramref name="round"/>'s polynomial at 0, 2, ..., <see cref="Degree"/>.</summary>
    public ReadOnlySpan<GoldilocksExt2> RoundMessage(int round) => _roundMessages.AsSpan(round * Degree, Degree);

    /// <summary>The factors' values at the final point, as the prover claims them.</summary>
    public ReadOnlySpan<GoldilocksExt2> FinalEvaluations => _finalEvaluations;

    /// <summary>Writes the body (no header), for embedding in a larger proof.</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Variables);
        writer.WriteUInt32((uint)Degree);
        writer.Write(_roundMessages);
        writer.Write(_finalEvaluations);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static SumcheckProof ReadFrom(ref ProofReader reader)
    {
        int variables = (int)reader.ReadUInt32(MaxVariables);
        int degree = (int)reader.ReadUInt32(MaxDegree);
        if (degree == 0) throw new ProofFormatException("A sumcheck has at least one factor.");
        var rounds = new GoldilocksExt2[variables * degree];
        reader.ReadExt(rounds);
        Span<GoldilocksExt2> finals = stackalloc GoldilocksExt2[degree];
        reader.ReadExt(finals);
        return new SumcheckProof(variables, degree, rounds, finals);
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
    public static SumcheckProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
