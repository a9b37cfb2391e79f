using System.Text;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// What the zero-knowledge step's prover and verifier share (docs/sumcheck-step.md, "Zero knowledge"): a block's
/// challenges, the claim a masked final becomes, a range lookup's leaves (one fractional-sum tree, the witness side
/// first: p = 1, q = alpha - w on the witness (the shared lookup's limb region, or the input lookup's X+); the table side
/// p = -m, q = alpha - t on the range table (2^16, or 2^(f+2)); both padded to one size with p = 0, q = 1) and the joint
/// reduction's shape.
/// </summary>
internal static class ZeroKnowledgeStep
{
    /// <summary>Absorbs the batch rows' digests (public: the data set's leaves at the scheduled positions) before any commitment.</summary>
    internal static void AbsorbDigests(Transcript transcript, IReadOnlyList<Goldilocks[]> digests)
    {
        transcript.Absorb("zkstep.rows", (ulong)digests.Count);
        foreach (var digest in digests) transcript.Absorb("zkstep.digest", digest);
    }

    /// <summary>Absorbs the block's name and draws its output point p and its gammas.</summary>
    internal static (GoldilocksExt2[] Point, GoldilocksExt2[] Gammas) Begin(Transcript transcript, ZeroCheck block)
    {
        transcript.Absorb("zkstep.block", Encoding.UTF8.GetBytes(block.Tag));
        var p = new GoldilocksExt2[block.OutputVariables];
        if (p.Length > 0) transcript.ChallengeExt("zkstep.point", p);
        var gammas = new GoldilocksExt2[block.Identities.Length - 1];
        if (gammas.Length > 0) transcript.ChallengeExt("zkstep.gamma", gammas);
        return (p, gammas);
    }

    /// <summary>A masked final coefficient oracle~(point) + w c, w = r_v (1 - r_v), as a functional of the commitments.</summary>
    internal static ZkLinearClaim MaskedClaim(long offset, int table, GoldilocksExt2 coefficient, GoldilocksExt2[] point, long scalar, GoldilocksExt2 rv) =>
        new(ZkLinearTerm.Eq(offset, coefficient, point, table), ZkLinearTerm.Scalar(scalar, rv * (GoldilocksExt2.One - rv)));

    /// <summary>Variables of the shared lookup's fractional-sum tree: the side bit plus the larger of the limb region and the range table.</summary>
    internal static int LookupVariables(StackLayout layout) => LookupVariables(layout.Region.Variables, RangeLimbs.LimbBits);

    /// <summary>Variables of a lookup's fractional-sum tree: the side bit plus the larger of its witness and its range table.</summary>
    internal static int LookupVariables(int witnessVariables, int tableVariables) => 1 + Math.Max(witnessVariables, tableVariables);

    /// <summary>The joint reduction's shape over the stack and the public commitments (mask variable the last).</summary>
    internal static ZkSumcheckShape ReductionShape(int stackVariables, IEnumerable<int> publicVariables)
    {
        int[] variables = [stackVariables, .. publicVariables];
        return ZkLinearReduction.Shape(variables, variables.Max() - 1);
    }

    /// <summary>
    /// Fresh uniform base-field values (<see cref="RandomSource.Current"/>: the operating system's generator unless a test
    /// opened an insecure seeded scope), rejection-sampled: one bulk draw, then a fresh 8 bytes for each rejected word.
    /// </summary>
    internal static void FillUniform(Span<Goldilocks> destination)
    {
        var random = RandomSource.Current;
        var words = new ulong[destination.Length];
        random.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
        Span<byte> bytes = stackalloc byte[8];
        for (int i = 0; i < destination.Length; i++)
        {
            ulong v = words[i];
            while (v >= Goldilocks.P)
            {
                random.Fill(bytes);
                v = BitConverter.ToUInt64(bytes);
            }
            destination[i] = Goldilocks.FromCanonical(v);
        }
    }

    /// <summary>Leaves of at least this many entries come from (and go back to) the shared array pool.</summary>
    internal const int PooledLeaves = 1 << 12;

    /// <summary>The four leaf halves over m variables: p(0, .), p(1, .), q(0, .), q(1, .).</summary>
    internal static unsafe GoldilocksExt2[][] Leaves(GoldilocksExt2 alpha, int m, ReadOnlySpan<Goldilocks> witness, ReadOnlySpan<Goldilocks> multiplicities)
    {
        int size = 1 << m, w = witness.Length, t = multiplicities.Length;
        if (w > size || t > size) throw new ArgumentException("The witness and the table fit the leaves.");
        var leaves = new GoldilocksExt2[4][];
        // Large leaves from the shared pool (the prover returns them after the lookup): fresh ones cost a page fault per 4 KB.
        for (int i = 0; i < 4; i++)
            leaves[i] = size >= PooledLeaves && System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Rent(size) is { } pooled && pooled.Length == size
                ? pooled : GC.AllocateUninitializedArray<GoldilocksExt2>(size);
        var (p0, p1, q0, q1) = (leaves[0], leaves[1], leaves[2], leaves[3]);
        // Every entry written once, in parallel chunks (the spans pinned for the loop).
        fixed (Goldilocks* witnessAt = witness, tableAt = multiplicities)
        {
            var (wa, ta) = ((nint)witnessAt, (nint)tableAt);
            ParallelChunks.For(size, 1 << 14, (from, to) =>
            {
                var ws = new ReadOnlySpan<Goldilocks>((void*)wa, w);
                var ms = new ReadOnlySpan<Goldilocks>((void*)ta, t);
                for (int x = from; x < to; x++)
                {
                    bool inWitness = x < w, inTable = x < t;
                    p0[x] = inWitness ? GoldilocksExt2.One : GoldilocksExt2.Zero;
                    p1[x] = inTable ? -(GoldilocksExt2)ms[x] : GoldilocksExt2.Zero;
                    q0[x] = inWitness ? alpha - ws[x] : GoldilocksExt2.One;
                    q1[x] = inTable ? alpha - Goldilocks.FromUInt64((ulong)x) : GoldilocksExt2.One;
                }
            });
        }
        return leaves;
    }

    /// <summary>
    /// The masked leaves' finals as claims on the stack: p'(1, r) = -sel m~ + w c_0 and q'(0, r) = sel (alpha - w~) + (1 - sel) + w c_1
    /// (sel the zero-padding selector, w = r_(m-1) (1 - r_(m-1)): the last GKR step's mask variable is its last, <see cref="ZkStoredMaskGkr.Shapes"/>).
    /// </summary>
    internal static (ZkLinearClaim[] Claims, GoldilocksExt2[] Values) LeafClaims(StackLayout layout, StepMasks masks, GoldilocksExt2 alpha, ReadOnlySpan<GoldilocksExt2> r,
        ReadOnlySpan<GoldilocksExt2> leafValues) =>
        LeafClaims(layout.Region, layout.Multiplicities, masks.Leaf(0), masks.Leaf(1), alpha, r, leafValues);

    /// <summary>
    /// <see cref="LeafClaims(StackLayout, StepMasks, GoldilocksExt2, ReadOnlySpan{GoldilocksExt2}, ReadOnlySpan{GoldilocksExt2})"/> for any
    /// lookup: its witness and multiplicities (the range table's size) as stacked tables, its two leaf scalars.
    /// </summary>
    internal static (ZkLinearClaim[] Claims, GoldilocksExt2[] Values) LeafClaims((int Offset, int Variables) witness, (int Offset, int Variables) multiplicities,
        long multiplicityScalar, long witnessScalar, GoldilocksExt2 alpha, ReadOnlySpan<GoldilocksExt2> r, ReadOnlySpan<GoldilocksExt2> leafValues)
    {
        int m = r.Length, kv = witness.Variables, tv = multiplicities.Variables;
        GoldilocksExt2 selTable = ZeroCheck.Lead(r, m - tv), selWitness = ZeroCheck.Lead(r, m - kv);
        var claims = new[]
        {
            MaskedClaim(multiplicities.Offset, 0, -selTable, r[(m - tv)..].ToArray(), multiplicityScalar, r[^1]),
            MaskedClaim(witness.Offset, 0, -selWitness, r[(m - kv)..].ToArray(), witnessScalar, r[^1]),
        };
        return (claims, [leafValues[1], leafValues[2] - alpha * selWitness - (GoldilocksExt2.One - selWitness)]);
    }

    /// <summary>The verifier's check of the shared lookup's public leaves' finals.</summary>
    internal static bool PublicLeavesHold(StackLayout layout, GoldilocksExt2 alpha, ReadOnlySpan<GoldilocksExt2> r, ReadOnlySpan<GoldilocksExt2> leafValues) =>
        PublicLeavesHold(layout.Region.Variables, RangeLimbs.LimbBits, alpha, r, leafValues);

    /// <summary>The verifier's check of a lookup's public leaves' finals: p(0, r) = sel, q(1, r) = sel (alpha - t~) + 1 - sel (t(x) = x on 2^tv entries).</summary>
    internal static bool PublicLeavesHold(int witnessVariables, int tableVariables, GoldilocksExt2 alpha, ReadOnlySpan<GoldilocksExt2> r, ReadOnlySpan<GoldilocksExt2> leafValues)
    {
        int m = r.Length, kv = witnessVariables, tv = tableVariables;
        GoldilocksExt2 selTable = ZeroCheck.Lead(r, m - tv), selWitness = ZeroCheck.Lead(r, m - kv), t = GoldilocksExt2.Zero;
        // The range table t(x) = x: its extension is sum_i 2^(tv - 1 - i) r_i (first variable most significant).
        for (int i = 0; i < tv; i++) t += Goldilocks.FromUInt64(1UL << (tv - 1 - i)) * r[m - tv + i];
        return leafValues[0] == selWitness && leafValues[3] == selTable * (alpha - t) + GoldilocksExt2.One - selTable;
    }
}
