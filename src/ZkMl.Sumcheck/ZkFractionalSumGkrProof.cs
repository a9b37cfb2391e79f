namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="ZkFractionalSumGkr"/> proof: the commitments to the sumchecks' Libra masks and to the layers' child
/// masks, one <see cref="ZkSumcheckProof"/> per step (the root step first, the leaves' step last) and the two openings.
/// </summary>
public sealed class ZkFractionalSumGkrProof
{
    /// <summary>Magic of a stand-alone proof.</summary>
    public const string Magic = "ZKFG";
    /// <summary>Format version of <see cref="ToBytes"/>.</summary>
    public const ushort FormatVersion = 1;

    private readonly ZkSumcheckProof[] _steps;

    /// <summary>Builds a proof from its parts (the step array is copied).</summary>
    public ZkFractionalSumGkrProof(LigeroCommitment maskCommitment, LigeroCommitment layerCommitment, IReadOnlyList<ZkSumcheckProof> steps,
        LigeroOpening maskOpening, LigeroOpening layerOpening)
    {
        ArgumentNullException.ThrowIfNull(maskCommitment);
        ArgumentNullException.ThrowIfNull(layerCommitment);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(maskOpening);
        ArgumentNullException.ThrowIfNull(layerOpening);
        if (steps.Count < 2 || steps.Count > ZkFractionalSumGkr.MaxVariables) throw new ArgumentException($"2..{ZkFractionalSumGkr.MaxVariables} steps.", nameof(steps));
        foreach (var step in steps) ArgumentNullException.ThrowIfNull(step);
        (MaskCommitment, LayerCommitment, MaskOpening, LayerOpening) = (maskCommitment, layerCommitment, maskOpening, layerOpening);
        _steps = [.. steps];
    }

    /// <summary>The Libra masks of the steps' sumchecks (<see cref="ZkSumcheckMaskSet"/>).</summary>
    public LigeroCommitment MaskCommitment { get; }
    /// <summary>The scalar masks of the middle layers' children, one column per layer.</summary>
    public LigeroCommitment LayerCommitment { get; }
    /// <summary>The steps' sumchecks, root first.</summary>
    public IReadOnlyList<ZkSumcheckProof> Steps => _steps;
    /// <summary>The mask set's opening at every step's point.</summary>
    public LigeroOpening MaskOpening { get; }
    /// <summary>The layer masks' opening (one masked functional per middle layer).</summary>
    public LigeroOpening LayerOpening { get; }

    /// <summary>Writes the body (no header).</summary>
    public void WriteTo(ProofWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        MaskCommitment.WriteTo(writer);
        LayerCommitment.WriteTo(writer);
        writer.WriteUInt32((uint)_steps.Length);
        foreach (var step in _steps) step.WriteTo(writer);
        MaskOpening.WriteTo(writer);
        LayerOpening.WriteTo(writer);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>; counts are checked before anything is allocated.</summary>
    /// <exception cref="ProofFormatException">The body does not decode.</exception>
    public static ZkFractionalSumGkrProof ReadFrom(ref ProofReader reader)
    {
        var masks = LigeroCommitment.ReadFrom(ref reader);
        var layers = LigeroCommitment.ReadFrom(ref reader);
        int count = (int)reader.ReadUInt32(ZkFractionalSumGkr.MaxVariables);
        if (count < 2) throw new ProofFormatException("A fractional-sum tree has at least two steps.");
        var steps = new ZkSumcheckProof[count];
        for (int i = 0; i < count; i++) steps[i] = ZkSumcheckProof.ReadFrom(ref reader);
        var maskOpening = LigeroOpening.ReadFrom(ref reader);
        var layerOpening = LigeroOpening.ReadFrom(ref reader);
        return new ZkFractionalSumGkrProof(masks, layers, steps, maskOpening, layerOpening);
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
    public static ZkFractionalSumGkrProof FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProofReader(bytes, Magic, FormatVersion);
        var proof = ReadFrom(ref reader);
        reader.EnsureEnd();
        return proof;
    }
}
