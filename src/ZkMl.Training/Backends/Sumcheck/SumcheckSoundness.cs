using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The soundness error of one zero-knowledge step proof ("ZKST" v7, <see cref="SumcheckStep"/>) for a network shape:
/// a union bound over its components (method and per-component errors of src/ZkMl.Sumcheck/README.md, written out in
/// docs/sumcheck-step.md, "Zero knowledge"): every block's masked zero-check, the membership sponge, the shared limb
/// lookup and the input lookup with their zero-knowledge GKRs, the joint reduction, and the openings of the stack, the
/// two weight states and the reduction's mask set at their pinned parameters. Conjectured security of the
/// non-interactive proof = these bits (the Fiat-Shamir transcript adds nothing beyond the attacker's hash queries, as for
/// every hash-based SNARK; grinding as src/ZkMl.Sumcheck/README.md "Grinding").
/// </summary>
internal static class SumcheckSoundness
{
    /// <summary>log2 |F| of the challenge field GoldilocksExt2 (p^2).</summary>
    private const double FieldBits = 127.99999999966;

    /// <summary>Ligero openings of a zero-knowledge step ("ZKST" v7) in its joint reduction, whatever the depth: the stack and the two weight states.</summary>
    internal const int ZeroKnowledgeOpeningCount = 3;

    /// <summary>
    /// -log2 of the soundness error of one zero-knowledge step proof ("ZKST" v7) of shape <paramref name="c"/>
    /// (<see cref="ZeroKnowledgeTerms(QuantizedNetworkConfig)"/>).
    /// </summary>
    internal static double ZeroKnowledgeBits(QuantizedNetworkConfig c)
    {
        var (openings, algebraic, proximity) = ZeroKnowledgeTerms(c);
        return -Math.Log2(openings + algebraic + proximity);
    }

    /// <summary>
    /// The zero-knowledge step's union bound (docs/sumcheck-step.md, "Zero knowledge", items 2-6): per block zero-check
    /// sum_i d_i (its rounds) + 1 (rho) + terms (the gamma combination) + n_out (the zero-check's random point); the shared
    /// LogUp's identity (2^K + 2^16) and its zero-knowledge GKR (3 n (n + 1) / 2 + 4 n); the same for the input lookup
    /// (2^|X+| + 2^(f+2), its own GKR); the joint reduction's sumcheck
    /// (sum_i d_i + 1) and beta (1); the batch membership's Poseidon sponge zero-check (4 n + 8, n its trace tables'
    /// variables; the padding of X and T is two more block zero-checks); the openings: every chain commitment (<see cref="SumcheckStep.ChainParameters"/>), the
    /// stack (<see cref="SumcheckStep.ZeroKnowledgeStackParameters"/>) and the reduction's mask set, each
    /// ((1 + rho) / 2)^Q 2^-g + L / p^2 with its hiding codeword's L and its grinding bits g (conjectured: the attacker's
    /// 2^g hashes per query sample, src/ZkMl.Sumcheck/README.md "Grinding"; the L / p^2 and algebraic terms gain nothing).
    /// </summary>
    internal static (double Openings, double Algebraic, double Proximity) ZeroKnowledgeTerms(QuantizedNetworkConfig c) =>
        ZeroKnowledgeTerms(c, SumcheckStep.ZeroKnowledgeStackParameters, SumcheckStep.ChainParameters, SumcheckStep.ReductionMaskParameters);

    /// <summary>As <see cref="ZeroKnowledgeTerms(QuantizedNetworkConfig)"/> at other parameters of the stack, chain and reduction-mask commitments (for choosing them).</summary>
    internal static (double Openings, double Algebraic, double Proximity) ZeroKnowledgeTerms(QuantizedNetworkConfig c, LigeroParameters stack, LigeroParameters chainParameters, LigeroParameters mask)
    {
        ArgumentNullException.ThrowIfNull(c);
        var shapes = StepTables.ShapesFor(c);
        var (blocks, layout, membership) = SumcheckStep.ZeroKnowledgeLayout(c);
        double field = 0;
        foreach (var b in blocks) field += b.Shape.MessageCount + 1 + b.Terms(new ZkMl.Field.GoldilocksExt2[b.Identities.Length - 1]).Length + b.OutputVariables;
        field += 4.0 * (membership.TraceVariables - 2) + 8;                                      // the membership sponge's zero-check (4 n + 8)
        field += ZeroKnowledgeLookup(layout.Region.Variables, RangeLimbs.LimbBits);                          // the shared limb lookup
        field += ZeroKnowledgeLookup(layout.Table(membership.XOffset.Index).Variables, membership.InputBitCount); // the input lookup (X+ in [0, 2^(f+2)))
        // Two chain commitments whatever the depth: the weight state before and after ("ZKSP" v5, WeightStateLayout).
        var state = WeightStateLayout.For(c);
        (int Variables, long Entries)[] chain = [(state.Variables, state.Used), (state.Variables, state.Used)];
        field += ZeroKnowledgeStep.ReductionShape(layout.Variables, chain.Select(s => s.Variables)).MessageCount + 2;
        // Each opening at its commitment's actual parameters (the verifier pins every shape, LigeroCommitment.ReadPinned):
        // ((1 + rho_s) / 2)^Q 2^-g with rho_s = SentLength / ColumnCount (LigeroCommitment.SoundnessBits, grinding included), and L / p^2.
        var openings = ZeroKnowledgeOpenings(layout.Variables, Math.Max(layout.Used, 1), chain, stack, chainParameters, mask);
        double query = openings.Sum(o => Math.Pow(2, -o.SoundnessBits));
        double proximity = openings.Sum(o => (double)o.ColumnCount);
        return (query, field * Math.Pow(2, -FieldBits), proximity * Math.Pow(2, -FieldBits));
    }

    /// <summary>
    /// A zero-knowledge LogUp's algebraic terms over |F|: its identity at alpha (the cleared sum has degree at most
    /// 2^witness + 2^table in alpha) and its zero-knowledge GKR over n = 1 + max(witness, table) variables (3 n (n + 1) / 2 + 4 n).
    /// </summary>
    internal static double ZeroKnowledgeLookup(int witnessVariables, int tableVariables)
    {
        int n = ZeroKnowledgeStep.LookupVariables(witnessVariables, tableVariables);
        return Math.Pow(2, witnessVariables) + Math.Pow(2, tableVariables) + 3.0 * n * (n + 1) / 2 + 4.0 * n;
    }

    /// <summary>
    /// The shapes (zero roots) of the commitments a zero-knowledge step opens, in the order the verifier pins them: the
    /// stack (<see cref="SumcheckStep.ZeroKnowledgeStackParameters"/>, 2^<paramref name="stackVariables"/> with its first
    /// <paramref name="stackEntries"/> entries committed, one slot), every chain commitment of <paramref name="chain"/>'s
    /// variables with its first entries committed (<see cref="SumcheckStep.ChainParameters"/>, two slots), and the joint
    /// reduction's mask set (<see cref="SumcheckStep.ReductionMaskParameters"/>: one column, a row per Libra coefficient, the padding rows not committed).
    /// </summary>
    internal static LigeroCommitment[] ZeroKnowledgeOpenings(int stackVariables, long stackEntries, IReadOnlyList<(int Variables, long Entries)> chain,
        LigeroParameters? stack = null, LigeroParameters? chainParameters = null, LigeroParameters? mask = null)
    {
        var openings = new List<LigeroCommitment> { LigeroCommitment.Canonical(stack ?? SumcheckStep.ZeroKnowledgeStackParameters, stackVariables, stackEntries, 1) };
        openings.AddRange(chain.Select(v => LigeroCommitment.Canonical(chainParameters ?? SumcheckStep.ChainParameters, v.Variables, v.Entries, SumcheckStep.ChainSlots)));
        var shape = ZeroKnowledgeStep.ReductionShape(stackVariables, chain.Select(v => v.Variables));
        int rows = System.Numerics.BitOperations.Log2(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)shape.MaskCoefficients));
        openings.Add(LigeroCommitment.Shape(mask ?? SumcheckStep.ReductionMaskParameters, Math.Max(rows, 1), Math.Max(rows, 1), 1, shape.MaskCoefficients));
        return [.. openings];
    }
}
