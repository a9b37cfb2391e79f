using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The soundness error of one <see cref="SumcheckStepProof"/> for a network shape (union bound over its components,
/// method and per-component errors of src/ZkMl.Sumcheck/README.md, written out in docs/sumcheck-step.md): the Ligero
/// openings (53 + batch of them, each (1 - delta / 4)^Q + L / p^2), ten blocks' LogUp identities and fractional-sum GKR
/// trees over their limb tables, their sumchecks and linear checks, and membership's stacking identity.
/// Conjectured security of the non-interactive proof = these bits (the Fiat-Shamir transcript adds nothing beyond the
/// attacker's hash queries, as for every hash-based SNARK).
/// </summary>
internal static class SumcheckSoundness
{
    /// <summary>log2 |F| of the challenge field GoldilocksExt2 (p^2).</summary>
    private const double FieldBits = 127.99999999966;

    /// <summary>Ligero openings outside membership: 5 products x 6, ReLU 5, E 3, Hadamard 3, two updates x 5, and X, T.</summary>
    internal const int FixedOpenings = 53;

    /// <summary>-log2 of the composed soundness error of one step proof for <paramref name="c"/> with <paramref name="parameters"/>.</summary>
    internal static double Bits(QuantizedMlpConfig c, LigeroParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(parameters);
        var shapes = StepTables.ShapesFor(c);
        int bits = c.ValueBits;
        double field = 0; // numerator over |F| of every algebraic (Schwartz-Zippel) term
        int widest = RangeLimbs.LimbBits; // variables of the largest committed table (operands, outputs, stacked limbs)
        foreach (var s in shapes)
        {
            int n = s.OutputVariables, blocks = 1 << BitMath.CeilingLog2(RangeLimbs.Count(s.Shift) + RangeLimbs.Count(bits));
            field += n + BitMath.CeilingLog2(blocks) + 2.0 * s.InnerVariables + Lookup(n, blocks);
            widest = Math.Max(widest, Math.Max(n + BitMath.CeilingLog2(blocks), Math.Max(s.RowVariables, s.ColumnVariables) + s.InnerVariables));
        }
        int hidden = shapes[0].OutputVariables, updateBlocks = 1 << BitMath.CeilingLog2(RangeLimbs.Count(bits));
        field += 6.0 * hidden + Lookup(hidden, updateBlocks);                                  // ReLU: two degree-3 sumchecks, U's limbs
        field += 3.0 * hidden + 2;                                                              // Hadamard (degree 3), E's linear check
        foreach (int n in new[] { shapes[4].OutputVariables, shapes[3].OutputVariables })      // W1' and W2' in B bits
            field += n + Lookup(n, updateBlocks);
        field += BitMath.CeilingLog2(c.BatchSize) + 2;                                          // membership's stacking identities
        int openings = FixedOpenings + c.BatchSize;
        double query = -parameters.Queries * Math.Log2(1 - (1 - Math.Pow(2, -parameters.RateLog)) / 4);
        // Each opening's L / p^2 (the proximity test's random combination), bounded by the longest codeword.
        field += openings * (double)parameters.CodewordLength(widest);
        double error = openings * Math.Pow(2, -query) + field * Math.Pow(2, -FieldBits);
        return -Math.Log2(error);
    }

    /// <summary>LogUp over a stacked limb table of blocks 2^n rows in the 2^16 table: the rational identity and two GKR trees.</summary>
    private static double Lookup(int n, int blocks)
    {
        int m = n + BitMath.CeilingLog2(blocks);
        return Math.Pow(2, m) + (1 << RangeLimbs.LimbBits) + Gkr(m) + Gkr(RangeLimbs.LimbBits) + 2;
    }

    private static double Gkr(int m) => 3.0 * m * (m - 1) / 2 + 2.0 * m;
}
