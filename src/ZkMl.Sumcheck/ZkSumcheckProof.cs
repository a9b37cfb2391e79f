using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="ZkSumcheck"/> proof: the mask's sum G, the masked round polynomials (round i: values at 0, 2, .., d_i),
/// the masked factors' values f'_j(r) at the final point and the mask's value g'(r).
/// </summary>
public sealed class ZkSumcheckProof
{
    /// <summary>Magic of a stand-alone proof.</summary>
    public const string Magic = "ZKZS";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;

    private readonly GoldilocksExt2[] _roundMessages, _finalEvaluations;

    /// <summary>Builds a proof from its parts (arrays copied).</summary>
    public ZkSumcheckProof(int variables, GoldilocksExt2 maskSum, ReadOnlySpan<GoldilocksExt2> roundMessages, ReadOnlySpan<GoldilocksExt2> finalEvaluations, GoldilocksExt2 maskValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, SumcheckProof.MaxVariables);
        if (roundMessages.Length > variables * SumcheckProof.MaxDegree) throw new ArgumentException("Too many round values.", nameof(roundMessages));
        if (finalEvaluations.Length < 1 || finalEvaluations.Length > ZkSumcheckShape.MaxFactors) throw new ArgumentException($"1..{ZkSumcheckShape.MaxFactors} final values.", nameof(finalEvaluations));
        (Variables, MaskSum, MaskValue) = (variables, maskSum, maskValue);
        _roundMessages = roundMessages.ToArray();
        _finalEvaluations = finalEvaluations.ToArray();
    }

    /// <summary>Rounds.</summary>
    public int Variables { get; }
    /// <summary>G = sum over the hypercube of the mask.</summary>
    public GoldilocksExt2 MaskSum { get; }
    /// <summary>All round values, round after round (round i has the shape's d_i).</summary>
    public ReadOnlySpan<GoldilocksExt2> RoundMessages => _roundMessages;
    /// <summary>Each factor's claimed value at the final point (f'_j(r) for a masked factor).</summary>
    public ReadOnlySpan<GoldilocksExt2> FinalEvaluations => _finalEvaluations;
    /// <summary>The mask's claimed value g'(r).</summary>
    public GoldilocksExt2 MaskValue { get; }

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Variables);
        writer.WriteUInt32((uint)_roundMessages.Length);
        writer.WriteUInt32((uint)_finalEvaluations.Length);
        writer.Write(MaskSum);
        writer.Write(_roundMessages);
        writer.Write(_finalEvaluations);
        writer.Write(MaskValue);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>; counts are checked before anything is allocated.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static ZkSumcheckProof ReadFrom(ref ProofReader reader)
    {
        int variables = (int)reader.ReadUInt32(SumcheckProof.MaxVariables);
        int messages = (int)reader.ReadUInt32((uint)(SumcheckProof.MaxVariables * SumcheckProof.MaxDegree));
        int finals = (int)reader.ReadUInt32(ZkSumcheckShape.MaxFactors);
        if (variables == 0 || finals == 0 || messages > variables * SumcheckProof.MaxDegree) throw new ProofFormatException("Invalid sumcheck shape.");
        GoldilocksExt2 maskSum = reader.ReadExt();
        var rounds = new GoldilocksExt2[messages];
        reader.ReadExt(rounds);
        var values = new GoldilocksExt2[finals];
        reader.ReadExt(values);
        GoldilocksExt2 maskValue = reader.ReadExt();
        return new ZkSumcheckProof(variables, maskSum, rounds, values, maskValue);
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
    public static ZkSumcheckProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
