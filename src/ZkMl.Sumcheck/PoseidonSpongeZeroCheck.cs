using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck;

/// <summary>
/// Zero-knowledge proof that committed rows hash to public digests under <c>GoldilocksPoseidon.HashSalted</c>
/// (width 12, rate 8, x^7, 8 full and 22 partial rounds), all rows at once, as ONE zero-check <see cref="ZkSumcheck"/>
/// over the trace laid out by <see cref="PoseidonSpongeLayout"/>: Y holds the input of every S-box (118 per
/// permutation: 12 per full round, 1 per partial round, as Plonky2), A = Y^2, B = A Y, D = B^2 (so that Out = y^7 = D Y,
/// every relation of degree 2 in committed data). Within a permutation every S-box input after round 0 is an affine
/// function of the permutation's earlier S-box outputs, Y(c) = K_c + sum_(c') L(c, c') Out(c') (the public matrix L and
/// constants K from running the rounds on affine forms: the partial rounds' other lanes never need a cell); round 0's
/// inputs are Y(k, i) = RC_0i + Abs(k, i) + [k &gt;= 1] (M Out(k - 1, round 29))_i (the sponge's chaining and absorption,
/// the capacity tag at k = 0), and the digest is (M Out(K - 1, round 29))_(0..3). With Y_prev(k) = Y(k - 1), D_prev
/// likewise (linear functionals of Y and D: one eq term per borrow position of k) and Abs the absorbed stream (a dense
/// functional of the row segments), after gamma, delta and p the sumcheck proves
/// sum_x [W (Y - Abs) - E (D Y) - E' (D_prev Y_prev) + gamma eq (A - Y Y) + gamma^2 eq (B - A Y) + gamma^3 eq (D - B B)]
/// = sum_x eq(p, x) sel(x) K(x) - delta sum_(row, i &lt; 4) eq(p, (K - 1, row, i)) digest_(row, i), with public tables
/// W = eq(p, .) sel, E = eq(p_k, k) eq(p_row, row) (sum_c eq(p_c, c) L(c, .) + delta [k = K - 1] digest rows of M),
/// E' = [k &gt;= 1] eq(p_k, k) eq(p_row, row) sum_(i &lt; 12) eq(p_c, i) M_i,(. - 106) that the verifier evaluates at the
/// final point in O(K + rows + 128^2). The seven masked factors (Y, Abs, Y_prev, D_prev, A, B, D) carry one committed
/// scalar each and the Libra coefficients are committed too, so every value the proof shows is a round polynomial, a
/// public constant or a <see cref="ZkLinearClaim"/> on the caller's table (<see cref="PoseidonSpongeProverResult.Claims"/>),
/// for the caller's <see cref="ZkLinearReduction"/>.
/// Soundness and zero knowledge: src/ZkMl.Sumcheck/README.md, "Zero-knowledge Poseidon sponge".
/// </summary>
public static class PoseidonSpongeZeroCheck
{
    private const int Width = GoldilocksPoseidon.Width, Rounds = GoldilocksPoseidon.Rounds, Cells = PoseidonSpongeLayout.Cells;
    private const int FW = 0, FE = 1, FE2 = 2, FEq = 3, FY = 4, FAbs = 5, FYPrev = 6, FDPrev = 7, FA = 8, FB = 9, FD = 10;
    /// <summary>Round 29's first cell: the permutation's output is M times the S-box outputs of cells LastRound..LastRound + 11.</summary>
    private static readonly int LastRound = PoseidonSpongeLayout.RoundCell(Rounds - 1);
    private static readonly (Goldilocks[,] L, Goldilocks[] K) Affine = AffineMap();

    /// <summary>
    /// L and K with Y(c) = K_c + sum_(c') L(c, c') Out(c') for every cell c &gt;= 12 (round 0's cells take the sponge's
    /// input instead): the rounds run on affine forms over the 118 S-box outputs (a full round's lanes and a partial round's
    /// lane 0 become fresh outputs; a partial round's other lanes stay forms).
    /// </summary>
    private static (Goldilocks[,] L, Goldilocks[] K) AffineMap()
    {
        var l = new Goldilocks[Cells, Cells];
        var k = new Goldilocks[Cells];
        var state = new Goldilocks[Width][];
        var output = new Goldilocks[Width][];
        for (int i = 0; i < Width; i++) (state[i], output[i]) = (new Goldilocks[Cells + 1], new Goldilocks[Cells + 1]);
        for (int round = 0, cell = 0; round < Rounds; round++)
        {
            bool full = GoldilocksPoseidon.IsFullRound(round);
            for (int i = 0; i < Width; i++)
            {
                var y = state[i];
                y[Cells] += GoldilocksPoseidon.RoundConstant(round, i);
                Array.Clear(output[i]);
                if (!full && i > 0)
                {
                    y.CopyTo(output[i], 0);
                    continue;
                }
                if (round > 0)
                {
                    for (int c = 0; c < Cells; c++) l[cell, c] = y[c];
                    k[cell] = y[Cells];
                }
                output[i][cell++] = Goldilocks.One;
            }
            for (int i = 0; i < Width; i++)
            {
                Array.Clear(state[i]);
                for (int j = 0; j < Width; j++)
                {
                    var m = GoldilocksPoseidon.MdsEntry(i, j);
                    for (int c = 0; c <= Cells; c++) state[i][c] += m * output[j][c];
                }
            }
        }
        return (l, k);
    }

    /// <summary>The zero-check's terms for the challenge gamma (prover and verifier use the same).</summary>
    public static ZkSumcheckTerm[] Terms(GoldilocksExt2 gamma)
    {
        GoldilocksExt2 one = GoldilocksExt2.One, g2 = gamma * gamma, g3 = g2 * gamma;
        return
        [
            new(one, [FW, FY]), new(-one, [FW, FAbs]), new(-one, [FE, FD, FY]), new(-one, [FE2, FDPrev, FYPrev]),
            new(gamma, [FEq, FA]), new(-gamma, [FEq, FY, FY]), new(g2, [FEq, FB]), new(-g2, [FEq, FA, FY]), new(g3, [FEq, FD]), new(-g3, [FEq, FB, FB]),
        ];
    }

    /// <summary>
    /// Writes the trace (Y, A, B, D) of the rows stored in <paramref name="table"/>'s segments into its trace region and
    /// returns each row's digest (4 elements, equal to <c>GoldilocksPoseidon.HashSalted</c> of the row).
    /// </summary>
    public static unsafe Goldilocks[][] FillTrace(PoseidonSpongeLayout layout, Span<Goldilocks> table)
    {
        CheckTable(layout, table.Length);
        var digests = new Goldilocks[layout.Rows][];
        long yOffset = layout.TableOffset(0), size = layout.TableSize;
        table.Slice((int)yOffset, (int)size).Clear();
        // Rows are independent (each writes its own cells): one per task; the span is pinned for the loops.
        fixed (Goldilocks* pinned = table)
        {
            nint at = (nint)pinned;
            int length = table.Length;
            Parallel.For(0, layout.Rows, row => digests[row] = FillRow(layout, new Span<Goldilocks>((void*)at, length), yOffset, row));
            Common.ParallelChunks.For((int)size, 1 << 12, (from, to) =>
            {
                var t = new Span<Goldilocks>((void*)at, length);
                var y = t.Slice((int)yOffset, (int)size);
                var a = t.Slice((int)layout.TableOffset(1), (int)size);
                var b = t.Slice((int)layout.TableOffset(2), (int)size);
                var d = t.Slice((int)layout.TableOffset(3), (int)size);
                for (int x = from; x < to; x++)
                {
                    a[x] = y[x] * y[x];
                    b[x] = a[x] * y[x];
                    d[x] = b[x] * b[x];
                }
            });
        }
        return digests;
    }

    /// <summary>One row's S-box inputs into Y (at <paramref name="yOffset"/>); returns its digest.</summary>
    private static Goldilocks[] FillRow(PoseidonSpongeLayout layout, Span<Goldilocks> table, long yOffset, int row)
    {
        var y = table.Slice((int)yOffset, (int)layout.TableSize);
        Span<Goldilocks> state = stackalloc Goldilocks[Width];
        Span<Goldilocks> sboxed = stackalloc Goldilocks[Width];
        state.Clear();
        var stream = Stream(layout, table, row);
        for (int k = 0; k < layout.Permutations; k++)
        {
            for (int lane = 0; lane < GoldilocksPoseidon.Rate && 8 * k + lane < stream.Length; lane++) state[lane] += stream[8 * k + lane];
            if (k == 0) state[GoldilocksPoseidon.Rate] += Tag(layout);
            for (int round = 0, cell = 0; round < Rounds; round++)
            {
                bool full = GoldilocksPoseidon.IsFullRound(round);
                for (int i = 0; i < Width; i++)
                {
                    var input = state[i] + GoldilocksPoseidon.RoundConstant(round, i);
                    sboxed[i] = input;
                    if (!full && i > 0) continue;
                    y[(int)layout.Index(k, row, cell++)] = input;
                    sboxed[i] = GoldilocksPoseidon.SBox(input);
                }
                for (int i = 0; i < Width; i++)
                {
                    Goldilocks acc = Goldilocks.Zero;
                    for (int j = 0; j < Width; j++) acc += GoldilocksPoseidon.MdsEntry(i, j) * sboxed[j];
                    state[i] = acc;
                }
            }
        }
        return state[..GoldilocksPoseidon.DigestSize].ToArray();
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

    /// <summary>
    /// The prover; <paramref name="check"/> false lets tests play a prover that proves a false trace anyway, and
    /// <paramref name="generic"/> runs the generic <see cref="ZkSumcheck"/> over the eleven factor tables instead of
    /// <see cref="PoseidonSpongeKernel"/> (the same proof; tests and benchmarks compare them).
    /// </summary>
    internal static PoseidonSpongeProverResult Prove(Transcript transcript, PoseidonSpongeLayout layout, ReadOnlySpan<Goldilocks> table, IReadOnlyList<Goldilocks[]> digests, bool check,
        bool generic = false)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        CheckTable(layout, table.Length);
        CheckDigests(layout, digests);
        var (gamma, delta, p) = Begin(transcript, layout, digests);
        var publicClaim = PublicClaim(layout, p, delta, digests);
        int size = 1 << layout.Variables;
        var q = Split(layout, p);
        var (lp, output, digestRows) = CellWeights(q.Cell, delta);
        var w = new GoldilocksExt2[size];
        var e = new GoldilocksExt2[size];
        var e2 = new GoldilocksExt2[size];
        int last = layout.Permutations - 1;
        Parallel.For(0, last + 1, k =>
        {
            for (int row = 0; row < layout.Rows; row++)
            {
                GoldilocksExt2 outer = q.Permutation[k] * q.Row[row];
                int at = (int)layout.Index(k, row, 0);
                for (int c = 0; c < Cells; c++)
                {
                    w[at + c] = outer * q.Cell[c];
                    e[at + c] = outer * (k == last ? lp[c] + digestRows[c] : lp[c]);
                    if (k > 0) e2[at + c] = outer * output[c];
                }
            }
        });
        var y = table.Slice((int)layout.TableOffset(0), size).ToArray();
        var d = table.Slice((int)layout.TableOffset(3), size).ToArray();
        var abs = new Goldilocks[size];
        for (int row = 0; row < layout.Rows; row++)
        {
            var stream = Stream(layout, table, row);
            for (int s = 0; s < stream.Length; s++) abs[(int)layout.Index(s / 8, row, s % 8)] = stream[s];
        }
        var scalars = ZkLinearTerm.ReadPairs(table, layout.ScalarOffset(0), PoseidonSpongeLayout.MaskedFactors);
        Goldilocks[][] committed =
            [y, abs, Previous(layout, y), Previous(layout, d), table.Slice((int)layout.TableOffset(1), size).ToArray(), table.Slice((int)layout.TableOffset(2), size).ToArray(), d];
        var coefficients = ZkLinearTerm.ReadPairs(table, layout.MaskOffset, layout.Shape.MaskCoefficients);
        ZkSumcheckProverResult result;
        if (generic)
        {
            var factors = new ZkSumcheckFactor[11];
            factors[FW] = new ZkSumcheckFactor(w);
            factors[FE] = new ZkSumcheckFactor(e);
            factors[FE2] = new ZkSumcheckFactor(e2);
            factors[FEq] = new ZkSumcheckFactor(Multilinear.EqTable(p));
            for (int j = 0; j < committed.Length; j++) factors[FY + j] = ZkSumcheckFactor.Masked(committed[j], [scalars[j]]);
            result = ZkSumcheck.Prove(transcript, layout.Shape, coefficients, factors, Terms(gamma));
        }
        else
            result = ZkSumcheck.Prove(transcript, layout.Shape, coefficients, new PoseidonSpongeKernel([w, e, e2, Multilinear.EqTable(p)], committed, scalars, gamma, layout.PermutationVariables, layout.Permutations), Terms(gamma));
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
        var (w, e, e2) = PublicFinals(layout, p, delta, r);
        var finals = reduction.Evaluations;
        if (finals[FW] != w || finals[FE] != e || finals[FE2] != e2 || finals[FEq] != Multilinear.Eq(p, r)) return false;
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
    /// T(k - 1) as eq terms on T's region: for the lowest set bit j of k (variable j), k's bits below j are 0 and k - 1's
    /// are 1, so the term is prod_(i &lt; j) (1 - r_i) r_j times T restricted to the region whose top bits are 1..1 0.
    /// </summary>
    private static IEnumerable<ZkLinearTerm> PreviousTerms(PoseidonSpongeLayout layout, long offset, GoldilocksExt2[] r)
    {
        int n = layout.Variables;
        GoldilocksExt2 prefix = GoldilocksExt2.One;
        for (int j = 0; j < layout.PermutationVariables; j++)
        {
            long top = (1L << (j + 1)) - 2;
            yield return ZkLinearTerm.Eq(offset + (top << (n - j - 1)), prefix * r[j], r.AsSpan(j + 1));
            prefix *= GoldilocksExt2.One - r[j];
        }
    }

    /// <summary>Abs~(r) as dense terms over the segments: stream element s of row i weighs eq(r, (s / 8, i, s mod 8)).</summary>
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
                    weights[row * segment.RowStride + c] = q.Permutation[s / 8] * q.Row[row] * q.Cell[s % 8] * powers[c % segment.Pack];
                }
            for (int at = 0; at < weights.Length; at += ZkLinearTerm.MaxWeights)
                terms.Add(ZkLinearTerm.Dense(segment.Offset + at, weights.AsSpan(at, Math.Min(ZkLinearTerm.MaxWeights, weights.Length - at))));
            start += segment.Elements;
        }
        return terms;
    }

    /// <summary>sum_x eq(p, x) sel(x) K(x) - delta sum_(row, i &lt; 4) eq(p, (K - 1, row, i)) digest_(row, i) (the digest term enters with E's sign).</summary>
    private static GoldilocksExt2 PublicClaim(PoseidonSpongeLayout layout, GoldilocksExt2[] p, GoldilocksExt2 delta, IReadOnlyList<Goldilocks[]> digests)
    {
        var q = Split(layout, p);
        GoldilocksExt2 rows = GoldilocksExt2.Zero, permutations = GoldilocksExt2.Zero, cells = GoldilocksExt2.Zero, first = GoldilocksExt2.Zero, digest = GoldilocksExt2.Zero;
        for (int row = 0; row < layout.Rows; row++) rows += q.Row[row];
        for (int k = 0; k < layout.Permutations; k++) permutations += q.Permutation[k];
        for (int c = 0; c < Cells; c++)
            if (c < Width) first += q.Cell[c] * GoldilocksPoseidon.RoundConstant(0, c);
            else cells += q.Cell[c] * Affine.K[c];
        for (int row = 0; row < layout.Rows; row++)
            for (int i = 0; i < GoldilocksPoseidon.DigestSize; i++) digest += q.Row[row] * q.Cell[i] * digests[row][i];
        GoldilocksExt2 tag = q.Permutation[0] * q.Cell[GoldilocksPoseidon.Rate] * Tag(layout);
        return rows * (permutations * (first + cells) + tag) - delta * q.Permutation[layout.Permutations - 1] * digest;
    }

    /// <summary>W~(r), E~(r), E'~(r): separable sums over permutations, rows and cells.</summary>
    private static (GoldilocksExt2 W, GoldilocksExt2 E, GoldilocksExt2 E2) PublicFinals(PoseidonSpongeLayout layout, GoldilocksExt2[] p, GoldilocksExt2 delta, GoldilocksExt2[] r)
    {
        var (qp, qr) = (Split(layout, p), Split(layout, r));
        var (lp, output, digestRows) = CellWeights(qp.Cell, delta);
        GoldilocksExt2 rows = GoldilocksExt2.Zero, cells = GoldilocksExt2.Zero, inner = GoldilocksExt2.Zero, digest = GoldilocksExt2.Zero, chained = GoldilocksExt2.Zero;
        for (int row = 0; row < layout.Rows; row++) rows += qp.Row[row] * qr.Row[row];
        for (int c = 0; c < Cells; c++)
        {
            cells += qp.Cell[c] * qr.Cell[c];
            inner += lp[c] * qr.Cell[c];
            digest += digestRows[c] * qr.Cell[c];
            chained += output[c] * qr.Cell[c];
        }
        GoldilocksExt2 permutations = GoldilocksExt2.Zero, later = GoldilocksExt2.Zero;
        int last = layout.Permutations - 1;
        for (int k = 0; k <= last; k++)
        {
            var both = qp.Permutation[k] * qr.Permutation[k];
            permutations += both;
            if (k > 0) later += both;
        }
        var lastBoth = qp.Permutation[last] * qr.Permutation[last];
        return (rows * permutations * cells, rows * (permutations * inner + lastBoth * digest), rows * later * chained);
    }

    /// <summary>
    /// Per source cell c': sum_(c &gt;= 12) eq(p_c, c) L(c, c') (the permutation's own relations); sum_(i &lt; 12) eq(p_c, i)
    /// M_(i, c' - 106) (round 29's outputs into the next permutation's round-0 cells); delta sum_(i &lt; 4) eq(p_c, i)
    /// M_(i, c' - 106) (the last permutation's digest).
    /// </summary>
    private static (GoldilocksExt2[] Inner, GoldilocksExt2[] Output, GoldilocksExt2[] Digest) CellWeights(GoldilocksExt2[] cell, GoldilocksExt2 delta)
    {
        var (inner, output, digest) = (new GoldilocksExt2[Cells], new GoldilocksExt2[Cells], new GoldilocksExt2[Cells]);
        for (int c = Width; c < Cells; c++)
            for (int source = 0; source < c; source++)
                if (!Affine.L[c, source].IsZero) inner[source] += cell[c] * Affine.L[c, source];
        for (int j = 0; j < Width; j++)
            for (int i = 0; i < Width; i++)
            {
                var term = cell[i] * GoldilocksPoseidon.MdsEntry(i, j);
                output[LastRound + j] += term;
                if (i < GoldilocksPoseidon.DigestSize) digest[LastRound + j] += delta * term;
            }
        return (inner, output, digest);
    }

    /// <summary>eq tables of a point's permutation (indexed by k itself, bits least significant first), row and cell parts.</summary>
    private static (GoldilocksExt2[] Permutation, GoldilocksExt2[] Row, GoldilocksExt2[] Cell) Split(PoseidonSpongeLayout layout, GoldilocksExt2[] point)
    {
        int m = layout.PermutationVariables, rb = layout.RowVariables;
        var reversed = Multilinear.EqTable(point.AsSpan(0, m));
        var permutation = new GoldilocksExt2[1 << m];
        for (int k = 0; k < permutation.Length; k++) permutation[k] = reversed[PoseidonSpongeLayout.Reverse(k, m)];
        return (permutation, Multilinear.EqTable(point.AsSpan(m, rb)), Multilinear.EqTable(point.AsSpan(m + rb, PoseidonSpongeLayout.CellVariables)));
    }

    /// <summary>T(k - 1) at every (k, row, cell), 0 at k = 0.</summary>
    private static Goldilocks[] Previous(PoseidonSpongeLayout layout, Goldilocks[] t)
    {
        var result = new Goldilocks[t.Length];
        int block = 1 << (layout.RowVariables + PoseidonSpongeLayout.CellVariables);
        for (int k = 1; k < 1 << layout.PermutationVariables; k++)
            Array.Copy(t, layout.Index(k - 1, 0, 0), result, layout.Index(k, 0, 0), block);
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
