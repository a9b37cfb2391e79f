using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck;

/// <summary>
/// Zero-knowledge proof that committed rows hash to public digests under <c>GoldilocksPoseidon.HashSalted</c>
/// (width 12, rate 8, x^7, 8 full and 22 partial rounds), all rows at once, as ONE zero-check <see cref="ZkSumcheck"/>
/// over the trace laid out by <see cref="PoseidonSpongeLayout"/>: Y holds every S-box input (state plus round constant,
/// 12 lanes of every round of every permutation) and the final state; A = Y^2, B = A Y, D = B^2 (so that
/// y^7 = D Y, every relation of degree 2 in committed data). With Y_prev(u) = Y(u - 1), D_prev likewise (linear
/// functionals of Y and D: one eq term per borrow position of u), Abs the absorbed stream placed at the slots of the
/// permutations' first rounds (a dense functional of the row segments), the relations are, for rows &lt; R and lanes
/// i &lt; 12: Y(u, i) = C(u, i) + Abs(u, i) + [u &gt;= 1] sum_j M_ij Out(u - 1, j) for u &lt;= 30 K (C the round
/// constants, the capacity tag at u = 0, 0 at the final slot; Out = D Y on S-boxed lanes, Y elsewhere), Y(30 K, i) =
/// digest_i for i &lt; 4, and A = Y^2, B = A Y, D = B^2 everywhere. After gamma, delta and p, the sumcheck proves
/// sum_x [W (Y - Abs) - E2S D_prev Y_prev - E2N Y_prev + gamma eq (A - Y Y) + gamma^2 eq (B - A Y) + gamma^3 eq (D - B B)]
/// = sum_x eq(p, x) sel(x) C(x) + delta sum_x eq(p, x) dsel(x) digest(x), W = eq(p, .) (sel + delta dsel), E2S and
/// E2N eq(p_slot, u) eq(p_row, row) sum_i eq(p_lane, i) M_ij split by the S-box pattern of slot u - 1: public tables
/// the verifier evaluates at the final point in O(slots + rows). The seven masked factors (Y, Abs, Y_prev, D_prev, A,
/// B, D) carry one committed scalar each and the Libra coefficients are committed too, so every value the proof shows
/// is a round polynomial, a public constant or a <see cref="ZkLinearClaim"/> on the caller's table
/// (<see cref="PoseidonSpongeProverResult.Claims"/>), for the caller's <see cref="ZkLinearReduction"/>.
/// Soundness and zero knowledge: src/ZkMl.Sumcheck/README.md, "Zero-knowledge Poseidon sponge".
/// </summary>
public static class PoseidonSpongeZeroCheck
{
    private const int Width = GoldilocksPoseidon.Width, Rounds = GoldilocksPoseidon.Rounds, Lanes = PoseidonSpongeLayout.Lanes;
    private const int FW = 0, FE2S = 1, FE2N = 2, FEq = 3, FY = 4, FAbs = 5, FYPrev = 6, FDPrev = 7, FA = 8, FB = 9, FD = 10;

    /// <summary>The zero-check's terms for the challenge gamma (prover and verifier use the same).</summary>
    public static ZkSumcheckTerm[] Terms(GoldilocksExt2 gamma)
    {
        GoldilocksExt2 one = GoldilocksExt2.One, g2 = gamma * gamma, g3 = g2 * gamma;
        return
        [
            new(one, [FW, FY]), new(-one, [FW, FAbs]), new(-one, [FE2S, FDPrev, FYPrev]), new(-one, [FE2N, FYPrev]),
            new(gamma, [FEq, FA]), new(-gamma, [FEq, FY, FY]), new(g2, [FEq, FB]), new(-g2, [FEq, FA, FY]), new(g3, [FEq, FD]), new(-g3, [FEq, FB, FB]),
        ];
    }

    /// <summary>
    /// Writes the trace (Y, A, B, D) of the rows stored in <paramref name="table"/>'s segments into its trace region and
    /// returns each row's digest (4 elements, equal to <c>GoldilocksPoseidon.HashSalted</c> of the row).
    /// </summary>
    public static Goldilocks[][] FillTrace(PoseidonSpongeLayout layout, Span<Goldilocks> table)
    {
        CheckTable(layout, table.Length);
        var y = table.Slice((int)layout.TableOffset(0), (int)layout.TableSize);
        y.Clear();
        var digests = new Goldilocks[layout.Rows][];
        Span<Goldilocks> state = stackalloc Goldilocks[Width];
        Span<Goldilocks> sboxed = stackalloc Goldilocks[Width];
        for (int row = 0; row < layout.Rows; row++)
        {
            var stream = Stream(layout, table, row);
            state.Clear();
            int slot = 0;
            for (int k = 0; k < layout.Permutations; k++)
            {
                for (int lane = 0; lane < GoldilocksPoseidon.Rate && 8 * k + lane < stream.Length; lane++) state[lane] += stream[8 * k + lane];
                if (k == 0) state[GoldilocksPoseidon.Rate] += Tag(layout);
                for (int round = 0; round < Rounds; round++, slot++)
                {
                    bool full = GoldilocksPoseidon.IsFullRound(round);
                    for (int i = 0; i < Width; i++)
                    {
                        var input = state[i] + GoldilocksPoseidon.RoundConstant(round, i);
                        y[(int)layout.Index(slot, row, i)] = input;
                        sboxed[i] = full || i == 0 ? GoldilocksPoseidon.SBox(input) : input;
                    }
                    for (int i = 0; i < Width; i++)
                    {
                        Goldilocks acc = Goldilocks.Zero;
                        for (int j = 0; j < Width; j++) acc += GoldilocksPoseidon.MdsEntry(i, j) * sboxed[j];
                        state[i] = acc;
                    }
                }
            }
            for (int i = 0; i < Width; i++) y[(int)layout.Index(slot, row, i)] = state[i];
            digests[row] = state[..GoldilocksPoseidon.DigestSize].ToArray();
        }
        var a = table.Slice((int)layout.TableOffset(1), (int)layout.TableSize);
        var b = table.Slice((int)layout.TableOffset(2), (int)layout.TableSize);
        var d = table.Slice((int)layout.TableOffset(3), (int)layout.TableSize);
        for (int x = 0; x < y.Length; x++)
        {
            a[x] = y[x] * y[x];
            b[x] = a[x] * y[x];
            d[x] = b[x] * b[x];
        }
        return digests;
    }

    /// <summary>Fills the mask region (Libra coefficients, the seven scalars) with fresh randomness (<paramref name="random"/>: tests only).</summary>
    public static void FillMasks(PoseidonSpongeLayout layout, Span<Goldilocks> table, Random? random = null)
    {
        CheckTable(layout, table.Length);
        var masks = new MaskRandomness(random);
        masks.Fill(table.Slice((int)layout.MaskOffset, 2 * layout.Shape.MaskCoefficients));
        masks.Fill(table.Slice((int)layout.ScalarOffset(0), 2 * PoseidonSpongeLayout.MaskedFactors));
    }

    /// <summary>
    /// Proves that the rows of <paramref name="table"/> hash to <paramref name="digests"/>, the trace and masks already
    /// written (<see cref="FillTrace"/>, <see cref="FillMasks"/>) and the table's commitment absorbed.
    /// </summary>
    /// <exception cref="ArgumentException">The table or digests do not fit the layout, or the trace does not prove them.</exception>
    public static PoseidonSpongeProverResult Prove(Transcript transcript, PoseidonSpongeLayout layout, ReadOnlySpan<Goldilocks> table, IReadOnlyList<Goldilocks[]> digests) =>
        Prove(transcript, layout, table, digests, true);

    /// <summary>The prover; <paramref name="check"/> false lets tests play a prover that proves a false trace anyway.</summary>
    internal static PoseidonSpongeProverResult Prove(Transcript transcript, PoseidonSpongeLayout layout, ReadOnlySpan<Goldilocks> table, IReadOnlyList<Goldilocks[]> digests, bool check)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        CheckTable(layout, table.Length);
        CheckDigests(layout, digests);
        var (gamma, delta, p) = Begin(transcript, layout, digests);
        var publicClaim = PublicClaim(layout, p, delta, digests);
        int size = 1 << layout.Variables;
        var q = Split(layout, p);
        var mp = Mds(q.Lane);

        var w = new GoldilocksExt2[size];
        var e2s = new GoldilocksExt2[size];
        var e2n = new GoldilocksExt2[size];
        int last = layout.Slots - 1;
        for (int u = 0; u <= last; u++)
        {
            bool full = u >= 1 && GoldilocksPoseidon.IsFullRound((u - 1) % Rounds);
            for (int row = 0; row < layout.Rows; row++)
            {
                GoldilocksExt2 outer = q.Slot[u] * q.Row[row];
                for (int lane = 0; lane < Width; lane++)
                {
                    int x = (int)layout.Index(u, row, lane);
                    w[x] = outer * q.Lane[lane];
                    if (u == last && lane < GoldilocksPoseidon.DigestSize) w[x] += delta * outer * q.Lane[lane];
                    if (u == 0) continue;
                    if (full || lane == 0) e2s[x] = outer * mp[lane];
                    else e2n[x] = outer * mp[lane];
                }
            }
        }
        var y = Region(table, layout.TableOffset(0), size);
        var d = Region(table, layout.TableOffset(3), size);
        var abs = new GoldilocksExt2[size];
        for (int row = 0; row < layout.Rows; row++)
        {
            var stream = Stream(layout, table, row);
            for (int s = 0; s < stream.Length; s++) abs[(int)layout.Index(Rounds * (s / 8), row, s % 8)] = stream[s];
        }
        var scalars = ZkLinearTerm.ReadPairs(table, layout.ScalarOffset(0), PoseidonSpongeLayout.MaskedFactors);
        var factors = new ZkSumcheckFactor[11];
        factors[FW] = new ZkSumcheckFactor(w);
        factors[FE2S] = new ZkSumcheckFactor(e2s);
        factors[FE2N] = new ZkSumcheckFactor(e2n);
        factors[FEq] = new ZkSumcheckFactor(Multilinear.EqTable(p));
        factors[FY] = ZkSumcheckFactor.Masked(y, [scalars[0]]);
        factors[FAbs] = ZkSumcheckFactor.Masked(abs, [scalars[1]]);
        factors[FYPrev] = ZkSumcheckFactor.Masked(Previous(layout, y), [scalars[2]]);
        factors[FDPrev] = ZkSumcheckFactor.Masked(Previous(layout, d), [scalars[3]]);
        factors[FA] = ZkSumcheckFactor.Masked(Region(table, layout.TableOffset(1), size), [scalars[4]]);
        factors[FB] = ZkSumcheckFactor.Masked(Region(table, layout.TableOffset(2), size), [scalars[5]]);
        factors[FD] = ZkSumcheckFactor.Masked(d, [scalars[6]]);
        var coefficients = ZkLinearTerm.ReadPairs(table, layout.MaskOffset, layout.Shape.MaskCoefficients);
        var result = ZkSumcheck.Prove(transcript, layout.Shape, coefficients, factors, Terms(gamma));
        if (check && result.Claim != publicClaim) throw new ArgumentException("The trace does not satisfy the sponge's relations for these digests.", nameof(digests));
        var reduction = result.Reduction;
        return new PoseidonSpongeProverResult(result.Proof, Claims(layout, reduction.Point), [.. reduction.Evaluations[FY..], reduction.MaskValue], reduction.Point.ToArray());
    }

    /// <summary>
    /// Verifies the zero-check for <paramref name="digests"/>; on success <paramref name="claims"/> and
    /// <paramref name="values"/> must still be proven on the caller's commitment (its <see cref="ZkLinearReduction"/>).
    /// </summary>
    public static bool Verify(Transcript transcript, PoseidonSpongeLayout layout, IReadOnlyList<Goldilocks[]> digests, ZkSumcheckProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkLinearClaim[]? claims, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoldilocksExt2[]? values)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(proof);
        CheckDigests(layout, digests);
        (claims, values) = (null, null);
        var (gamma, delta, p) = Begin(transcript, layout, digests);
        if (!ZkSumcheck.Verify(transcript, layout.Shape, Terms(gamma), PublicClaim(layout, p, delta, digests), proof, out var reduction)) return false;
        var r = reduction.Point.ToArray();
        var (w, e2s, e2n) = PublicFinals(layout, p, delta, r);
        var finals = reduction.Evaluations;
        if (finals[FW] != w || finals[FE2S] != e2s || finals[FE2N] != e2n || finals[FEq] != Multilinear.Eq(p, r)) return false;
        claims = Claims(layout, r);
        values = [.. finals[FY..], reduction.MaskValue];
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, PoseidonSpongeLayout, IReadOnlyList{Goldilocks[]}, ZkSumcheckProof, out ZkLinearClaim[], out GoldilocksExt2[])"/> for proof bytes.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, PoseidonSpongeLayout layout, IReadOnlyList<Goldilocks[]> digests, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkLinearClaim[]? claims, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GoldilocksExt2[]? values) =>
        Verify(transcript, layout, digests, ZkSumcheckProof.FromBytes(proof), out claims, out values);

    /// <summary>The functionals of the seven masked finals (Y, Abs, Y_prev, D_prev, A, B, D) and the Libra value at r.</summary>
    private static ZkLinearClaim[] Claims(PoseidonSpongeLayout layout, ReadOnlySpan<GoldilocksExt2> point)
    {
        var r = point.ToArray();
        int n = layout.Variables;
        GoldilocksExt2 z = r[n - 1] * (GoldilocksExt2.One - r[n - 1]);
        ZkLinearClaim Plain(int table, int scalar) => new(ZkLinearTerm.Eq(layout.TableOffset(table), GoldilocksExt2.One, r), ZkLinearTerm.Scalar(layout.ScalarOffset(scalar), z));
        ZkLinearClaim Shifted(int table, int scalar) => new([.. PreviousTerms(layout, layout.TableOffset(table), r), ZkLinearTerm.Scalar(layout.ScalarOffset(scalar), z)]);
        return
        [
            Plain(0, 0),
            new([.. AbsorbTerms(layout, r), ZkLinearTerm.Scalar(layout.ScalarOffset(1), z)]),
            Shifted(0, 2),
            Shifted(3, 3),
            Plain(1, 4),
            Plain(2, 5),
            Plain(3, 6),
            new(ZkLinearTerm.MaskValue(layout.MaskOffset, layout.Shape, r)),
        ];
    }

    /// <summary>
    /// T(u - 1) as eq terms on T's region: for the lowest set bit j of u (variable j), u's bits below j are 0 and u - 1's
    /// are 1, so the term is prod_(i &lt; j) (1 - r_i) r_j times T restricted to the region whose top bits are 1..1 0.
    /// </summary>
    private static IEnumerable<ZkLinearTerm> PreviousTerms(PoseidonSpongeLayout layout, long offset, GoldilocksExt2[] r)
    {
        int n = layout.Variables;
        GoldilocksExt2 prefix = GoldilocksExt2.One;
        for (int j = 0; j < layout.SlotVariables; j++)
        {
            long top = (1L << (j + 1)) - 2;
            yield return ZkLinearTerm.Eq(offset + (top << (n - j - 1)), prefix * r[j], r.AsSpan(j + 1));
            prefix *= GoldilocksExt2.One - r[j];
        }
    }

    /// <summary>Abs~(r) as dense terms over the segments: stream entry s of row i weighs eq(r, (30 (s / 8), i, s mod 8)).</summary>
    private static List<ZkLinearTerm> AbsorbTerms(PoseidonSpongeLayout layout, GoldilocksExt2[] r)
    {
        var q = Split(layout, r);
        var terms = new List<ZkLinearTerm>();
        int start = 0;
        foreach (var segment in layout.Segments)
        {
            var weights = new GoldilocksExt2[layout.SegmentSize(segment)];
            var powers = Powers(segment);
            for (int row = 0; row < layout.Rows; row++)
                for (int c = 0; c < segment.Count; c++)
                {
                    int s = start + c / segment.Pack;
                    weights[row * segment.RowStride + c] = q.Slot[Rounds * (s / 8)] * q.Row[row] * q.Lane[s % 8] * powers[c % segment.Pack];
                }
            for (int at = 0; at < weights.Length; at += ZkLinearTerm.MaxWeights)
                terms.Add(ZkLinearTerm.Dense(segment.Offset + at, weights.AsSpan(at, Math.Min(ZkLinearTerm.MaxWeights, weights.Length - at))));
            start += segment.Elements;
        }
        return terms;
    }

    /// <summary>sum_x eq(p, x) sel(x) C(x) + delta sum_x eq(p, x) dsel(x) digest(x).</summary>
    private static GoldilocksExt2 PublicClaim(PoseidonSpongeLayout layout, GoldilocksExt2[] p, GoldilocksExt2 delta, IReadOnlyList<Goldilocks[]> digests)
    {
        var q = Split(layout, p);
        GoldilocksExt2 rows = GoldilocksExt2.Zero, constants = GoldilocksExt2.Zero, digest = GoldilocksExt2.Zero;
        for (int row = 0; row < layout.Rows; row++) rows += q.Row[row];
        Goldilocks tag = Tag(layout);
        for (int u = 0; u < layout.Slots - 1; u++)
        {
            GoldilocksExt2 lanes = GoldilocksExt2.Zero;
            for (int lane = 0; lane < Width; lane++) lanes += q.Lane[lane] * GoldilocksPoseidon.RoundConstant(u % Rounds, lane);
            if (u == 0) lanes += q.Lane[GoldilocksPoseidon.Rate] * tag;
            constants += q.Slot[u] * lanes;
        }
        for (int row = 0; row < layout.Rows; row++)
            for (int i = 0; i < GoldilocksPoseidon.DigestSize; i++) digest += q.Row[row] * q.Lane[i] * digests[row][i];
        return rows * constants + delta * q.Slot[layout.Slots - 1] * digest;
    }

    /// <summary>W~(r), E2S~(r), E2N~(r): separable sums over slots, rows and lanes.</summary>
    private static (GoldilocksExt2 W, GoldilocksExt2 E2S, GoldilocksExt2 E2N) PublicFinals(PoseidonSpongeLayout layout, GoldilocksExt2[] p, GoldilocksExt2 delta, GoldilocksExt2[] r)
    {
        var (qp, qr) = (Split(layout, p), Split(layout, r));
        var mp = Mds(qp.Lane);
        GoldilocksExt2 rows = GoldilocksExt2.Zero, lanes = GoldilocksExt2.Zero, digestLanes = GoldilocksExt2.Zero, full = GoldilocksExt2.Zero, partial = GoldilocksExt2.Zero;
        for (int row = 0; row < layout.Rows; row++) rows += qp.Row[row] * qr.Row[row];
        for (int lane = 0; lane < Width; lane++)
        {
            var both = qp.Lane[lane] * qr.Lane[lane];
            lanes += both;
            if (lane < GoldilocksPoseidon.DigestSize) digestLanes += both;
            full += mp[lane] * qr.Lane[lane];
            if (lane > 0) partial += mp[lane] * qr.Lane[lane];
        }
        GoldilocksExt2 slots = GoldilocksExt2.Zero, s = GoldilocksExt2.Zero, nonS = GoldilocksExt2.Zero;
        int last = layout.Slots - 1;
        for (int u = 0; u <= last; u++)
        {
            var both = qp.Slot[u] * qr.Slot[u];
            slots += both;
            if (u == 0) continue;
            if (GoldilocksPoseidon.IsFullRound((u - 1) % Rounds)) s += both * full;
            else
            {
                s += both * mp[0] * qr.Lane[0];
                nonS += both * partial;
            }
        }
        var w = rows * (slots * lanes + delta * qp.Slot[last] * qr.Slot[last] * digestLanes);
        return (w, rows * s, rows * nonS);
    }

    /// <summary>Mp(j) = sum_(i &lt; 12) eq(p_lane, i) M_ij.</summary>
    private static GoldilocksExt2[] Mds(GoldilocksExt2[] lane)
    {
        var mp = new GoldilocksExt2[Width];
        for (int j = 0; j < Width; j++)
            for (int i = 0; i < Width; i++) mp[j] += lane[i] * GoldilocksPoseidon.MdsEntry(i, j);
        return mp;
    }

    /// <summary>eq tables of a point's slot (indexed by the slot u itself, bits least significant first), row and lane parts.</summary>
    private static (GoldilocksExt2[] Slot, GoldilocksExt2[] Row, GoldilocksExt2[] Lane) Split(PoseidonSpongeLayout layout, GoldilocksExt2[] point)
    {
        int m = layout.SlotVariables, rb = layout.RowVariables;
        var reversed = Multilinear.EqTable(point.AsSpan(0, m));
        var slot = new GoldilocksExt2[1 << m];
        for (int u = 0; u < slot.Length; u++) slot[u] = reversed[PoseidonSpongeLayout.Reverse(u, m)];
        return (slot, Multilinear.EqTable(point.AsSpan(m, rb)), Multilinear.EqTable(point.AsSpan(m + rb, 4)));
    }

    /// <summary>T(u - 1) at every (u, row, lane), 0 at u = 0.</summary>
    private static GoldilocksExt2[] Previous(PoseidonSpongeLayout layout, GoldilocksExt2[] t)
    {
        var result = new GoldilocksExt2[t.Length];
        int block = 1 << (layout.RowVariables + 4);
        for (int u = 1; u < 1 << layout.SlotVariables; u++)
            Array.Copy(t, layout.Index(u - 1, 0, 0), result, layout.Index(u, 0, 0), block);
        return result;
    }

    private static GoldilocksExt2[] Region(ReadOnlySpan<Goldilocks> table, long offset, int size)
    {
        var result = new GoldilocksExt2[size];
        var region = table.Slice((int)offset, size);
        for (int x = 0; x < size; x++) result[x] = region[x];
        return result;
    }

    /// <summary>Row <paramref name="row"/>'s absorbed stream: salt, then the values.</summary>
    private static Goldilocks[] Stream(PoseidonSpongeLayout layout, ReadOnlySpan<Goldilocks> table, int row)
    {
        var stream = new Goldilocks[PoseidonSpongeLayout.SaltLength + layout.ValueCount];
        int at = 0;
        foreach (var s in layout.Segments)
        {
            var entries = table.Slice((int)(s.Offset + (long)row * s.RowStride), s.Count);
            var powers = Powers(s);
            for (int c = 0; c < s.Count; c++) stream[at + c / s.Pack] += entries[c] * powers[c % s.Pack];
            at += s.Elements;
        }
        return stream;
    }

    /// <summary>Radix^t for t &lt; Pack (in the field).</summary>
    private static Goldilocks[] Powers(PoseidonSpongeSegment segment)
    {
        var powers = new Goldilocks[segment.Pack];
        Goldilocks radix = Goldilocks.FromUInt64(segment.Radix), power = Goldilocks.One;
        for (int t = 0; t < powers.Length; t++, power *= radix) powers[t] = power;
        return powers;
    }

    private static Goldilocks Tag(PoseidonSpongeLayout layout) => GoldilocksPoseidon.LeafTag(layout.ValueCount, layout.Domain);

    private static (GoldilocksExt2 Gamma, GoldilocksExt2 Delta, GoldilocksExt2[] Point) Begin(Transcript transcript, PoseidonSpongeLayout layout, IReadOnlyList<Goldilocks[]> digests)
    {
        transcript.Absorb("zkps.protocol", 1UL);
        foreach (var word in layout.Words()) transcript.Absorb("zkps.layout", word);
        foreach (var digest in digests) transcript.Absorb("zkps.digest", digest);
        var gamma = transcript.ChallengeExt("zkps.gamma");
        var delta = transcript.ChallengeExt("zkps.delta");
        var point = new GoldilocksExt2[layout.Variables];
        transcript.ChallengeExt("zkps.point", point);
        return (gamma, delta, point);
    }

    private static void CheckTable(PoseidonSpongeLayout layout, int length)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (length < 2 || (length & (length - 1)) != 0 || !layout.Fits(Multilinear.VariableCount(length)))
            throw new ArgumentException("The table is not a power of two that holds the layout.", nameof(layout));
    }

    private static void CheckDigests(PoseidonSpongeLayout layout, IReadOnlyList<Goldilocks[]> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        if (digests.Count != layout.Rows) throw new ArgumentException("One digest per row.", nameof(digests));
        foreach (var digest in digests)
            if (digest is null || digest.Length != GoldilocksPoseidon.DigestSize) throw new ArgumentException($"Digests have {GoldilocksPoseidon.DigestSize} elements.", nameof(digests));
    }
}
