using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="PoseidonSpongeZeroCheck"/>: the trace is <c>GoldilocksPoseidon.HashSalted</c>'s sponge, an honest proof
/// verifies end to end with its own hiding commitment and <see cref="ZkLinearReduction"/>, and changed rows, digests,
/// trace cells and proof bytes are refused; every visible value changes with the masks.
/// </summary>
public class PoseidonSpongeZeroCheckTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);
    private const int Rows = 4, Values = 20, TableVariables = 16;

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.PoseidonSponge", Naive.Digest("poseidon-sponge"));

    /// <summary>Trace at 0 (4 tables), the salts (stride 8) and the values (stride 32) after it, the mask region last.</summary>
    private static PoseidonSpongeLayout NewLayout(int rows, int values, int domain = 0, int pack = 1)
    {
        int rowVariables = rows <= 1 ? 0 : System.Numerics.BitOperations.Log2((uint)rows - 1) + 1;
        int stride = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)values);
        int variables = PoseidonSpongeLayout.TableVariables(rows, (values + pack - 1) / pack);
        long trace = 0, salts = 4L << variables;
        long valuesAt = Align(salts + (8L << rowVariables), (long)stride << rowVariables);
        long masks = Align(valuesAt + ((long)stride << rowVariables), PoseidonSpongeLayout.LibraEntries(variables));
        return new PoseidonSpongeLayout(rows, [new(salts, 8, 8), new(valuesAt, stride, values, pack)], trace, masks, domain);
    }

    /// <summary>The packed elements sum_t 256^t e_(7 i + t), written from the definition.</summary>
    private static Goldilocks[] Packed(Goldilocks[] entries, int pack)
    {
        var packed = new Goldilocks[(entries.Length + pack - 1) / pack];
        for (int c = 0; c < entries.Length; c++)
        {
            Goldilocks power = Goldilocks.One;
            for (int t = 0; t < c % pack; t++) power *= Goldilocks.FromUInt64(256);
            packed[c / pack] += power * entries[c];
        }
        return packed;
    }

    private static long Align(long at, long alignment) => (at + alignment - 1) / alignment * alignment;

    private static (Goldilocks[][] Salts, Goldilocks[][] Rows) RandomRows(Random rng, int rows, int values, bool bytes = false) =>
        ([.. Enumerable.Range(0, rows).Select(_ => Naive.RandomTable(rng, 3))],
         [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, values).Select(_ => bytes ? Goldilocks.FromUInt64((ulong)rng.Next(256)) : Goldilocks.Random(rng)).ToArray())]);

    private static Goldilocks[] NewTable(PoseidonSpongeLayout layout, Goldilocks[][] salts, Goldilocks[][] rows, int variables)
    {
        var table = new Goldilocks[1 << variables];
        for (int i = 0; i < rows.Length; i++)
        {
            salts[i].CopyTo(table, (int)(layout.Segments[0].Offset + 8 * i));
            rows[i].CopyTo(table, (int)(layout.Segments[1].Offset + (long)layout.Segments[1].RowStride * i));
        }
        return table;
    }

    [Property(MaxTest = 20)]
    public void TheTraceIsThePoseidonSpongeOfEveryRow(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 6), values = rng.Next(1, 41), domain = rng.Next(0, 256), pack = rng.Next(2) == 0 ? 1 : 7;
        var layout = NewLayout(rows, values, domain, pack);
        Assert.Equal(GoldilocksPoseidon.LeafAbsorbCount((values + pack - 1) / pack), layout.Permutations);
        var (salts, data) = RandomRows(rng, rows, values, pack > 1);
        int variables = Multilinear.VariableCount((int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)layout.RequiredEntries));
        var table = NewTable(layout, salts, data, variables);
        var digests = PoseidonSpongeZeroCheck.FillTrace(layout, table);
        for (int i = 0; i < rows; i++)
        {
            Assert.Equal(GoldilocksPoseidon.HashSalted(salts[i], Packed(data[i], pack), domain), digests[i]);
            // Cells 0..11 of permutation 0 are the salt plus round 0's constants (the tag in lane 8).
            for (int lane = 0; lane < 8; lane++)
                Assert.Equal(salts[i][lane] + GoldilocksPoseidon.RoundConstant(0, lane), table[layout.TableOffset(0) + layout.Index(0, i, lane)]);
            Assert.Equal(GoldilocksPoseidon.LeafTag(layout.ValueCount, domain) + GoldilocksPoseidon.RoundConstant(0, 8), table[layout.TableOffset(0) + layout.Index(0, i, 8)]);
        }
        // Every S-box input of round t of the first and last permutations (all lanes of a full round, lane 0 of a partial
        // one) is the state after t rounds plus round t's constants, at cells RoundCell(t)...
        var stream = (Goldilocks[])[.. salts[rows - 1], .. Packed(data[rows - 1], pack)];
        var state = new Goldilocks[12];
        for (int k = 0; k < layout.Permutations; k++)
        {
            for (int lane = 0; lane < 8 && 8 * k + lane < stream.Length; lane++) state[lane] += stream[8 * k + lane];
            if (k == 0) state[8] += GoldilocksPoseidon.LeafTag(layout.ValueCount, domain);
            for (int t = 0; t < GoldilocksPoseidon.Rounds; t++)
            {
                int lanes = GoldilocksPoseidon.IsFullRound(t) ? 12 : 1;
                for (int lane = 0; lane < lanes; lane++)
                    Assert.Equal(state[lane] + GoldilocksPoseidon.RoundConstant(t, lane),
                        table[layout.TableOffset(0) + layout.Index(k, rows - 1, PoseidonSpongeLayout.RoundCell(t) + lane)]);
                GoldilocksPoseidon.Round(state, t);
            }
        }
        Assert.Equal(digests[rows - 1], state[..4]);
        Assert.Equal(118, PoseidonSpongeLayout.RoundCell(GoldilocksPoseidon.Rounds));
        for (long x = 0; x < layout.TableSize; x++)
        {
            var y = table[layout.TableOffset(0) + x];
            Assert.Equal(y * y, table[layout.TableOffset(1) + x]);
            Assert.Equal(y * y * y, table[layout.TableOffset(2) + x]);
            Assert.Equal(y * y * y * y * y * y, table[layout.TableOffset(3) + x]);
        }
    }

    private sealed record Instance(PoseidonSpongeLayout Layout, Goldilocks[] Table, Goldilocks[][] Digests, LigeroProverData Data, ZkSumcheckMaskSet Masks);

    private static Instance NewInstance(Goldilocks[][] salts, Goldilocks[][] rows, Random masking, Action<Goldilocks[]>? tamper = null, int pack = 1)
    {
        var layout = NewLayout(rows.Length, rows[0].Length, pack: pack);
        var table = NewTable(layout, salts, rows, TableVariables);
        var digests = PoseidonSpongeZeroCheck.FillTrace(layout, table);
        PoseidonSpongeZeroCheck.FillMasks(layout, table, masking);
        tamper?.Invoke(table);
        var data = LigeroPcs.Commit(Parameters, table, 1, masking);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [ZkLinearReduction.Shape(TableVariables, 0)], masking);
        return new Instance(layout, table, digests, data, masks);
    }

    private sealed record Run(PoseidonSpongeProverResult Sponge, ZkLinearReductionProof Reduction, ZkSumcheckReduction ReductionResult, byte[] MaskOpening);

    private static Transcript Absorbed(Instance instance)
    {
        var transcript = NewTranscript();
        instance.Masks.Commitment.AbsorbInto(transcript);
        instance.Data.Commitment.AbsorbInto(transcript);
        return transcript;
    }

    private static Run Prove(Instance instance, bool check = true)
    {
        var transcript = Absorbed(instance);
        var sponge = PoseidonSpongeZeroCheck.Prove(transcript, instance.Layout, instance.Table, instance.Digests, check);
        var reduction = ZkLinearReduction.Prove(transcript, instance.Data, 0, 0, instance.Masks, 0, sponge.Claims, sponge.Values, out var result);
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = instance.Masks.Open(transcript, [result.Point.ToArray()], maskValues).ToBytes();
        return new Run(sponge, reduction, result, maskOpening);
    }

    private static bool Verify(Instance instance, IReadOnlyList<Goldilocks[]> digests, byte[] sponge, byte[] reduction, byte[] maskOpening, int tableVariables = TableVariables)
    {
        try
        {
            var transcript = Absorbed(instance);
            if (!PoseidonSpongeZeroCheck.Verify(transcript, instance.Layout, digests, sponge, out var claims, out var values)) return false;
            if (!ZkLinearReduction.Verify(transcript, instance.Data.Commitment, 0, 0, ZkLinearReduction.Shape(tableVariables, 0), claims, values, reduction, out var result))
                return false;
            return ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, instance.Masks.Shapes, [result.Point.ToArray()], [result.MaskValue], LigeroOpening.FromBytes(maskOpening));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static bool Verify(Instance instance, Run run) => Verify(instance, instance.Digests, run.Sponge.Proof.ToBytes(), run.Reduction.ToBytes(), run.MaskOpening);

    [Fact]
    public void AnHonestProofVerifiesWithItsOwnCommitmentAndReduction()
    {
        for (int seed = 1; seed <= 2; seed++)
        {
            var rng = new Random(seed);
            var (salts, rows) = RandomRows(rng, Rows, Values);
            var instance = NewInstance(salts, rows, rng);
            var run = Prove(instance);
            for (int j = 0; j < run.Sponge.Claims.Length; j++) Assert.Equal(run.Sponge.Claims[j].Apply(instance.Table), run.Sponge.Values[j]);
            Assert.True(Verify(instance, run));
        }
    }

    /// <summary>The sponge's claims and a caller's own claim on the same table (here an eq claim on the values) in one reduction.</summary>
    [Fact]
    public void TheSpongeClaimsJoinTheCallersOtherClaimsInOneReduction()
    {
        var rng = new Random(31);
        var (salts, rows) = RandomRows(rng, Rows, Values);
        var instance = NewInstance(salts, rows, rng);
        var values = instance.Layout.Segments[1];
        var point = Naive.RandomPoint(rng, Multilinear.VariableCount((int)instance.Layout.SegmentSize(values)));
        var own = new ZkLinearClaim(ZkLinearTerm.Eq(values.Offset, GoldilocksExt2.One, point));
        var ownValue = own.Apply(instance.Table);

        var transcript = Absorbed(instance);
        var sponge = PoseidonSpongeZeroCheck.Prove(transcript, instance.Layout, instance.Table, instance.Digests);
        var proof = ZkLinearReduction.Prove(transcript, instance.Data, 0, 0, instance.Masks, 0, [.. sponge.Claims, own], [.. sponge.Values, ownValue], out var result);
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = instance.Masks.Open(transcript, [result.Point.ToArray()], maskValues);

        bool Check(GoldilocksExt2 claimed)
        {
            var verifier = Absorbed(instance);
            if (!PoseidonSpongeZeroCheck.Verify(verifier, instance.Layout, instance.Digests, sponge.Proof.ToBytes(), out var claims, out var spongeValues)) return false;
            if (!ZkLinearReduction.Verify(verifier, instance.Data.Commitment, 0, 0, ZkLinearReduction.Shape(TableVariables, 0), [.. claims, own], [.. spongeValues, claimed],
                proof.ToBytes(), out var reduced)) return false;
            return ZkSumcheckMaskSet.Verify(verifier, instance.Masks.Commitment, instance.Masks.Shapes, [reduced.Point.ToArray()], [reduced.MaskValue], maskOpening);
        }
        Assert.True(Check(ownValue));
        Assert.False(Check(ownValue + GoldilocksExt2.One));
    }

    [Fact]
    public void PaddedRowsAndPackedPixelsProveAndPackingWithoutRangeChecksIsNotBinding()
    {
        var rng = new Random(5);
        var (salts, rows) = RandomRows(rng, 3, 9);
        var padded = NewInstance(salts, rows, rng);
        Assert.True(Verify(padded, Prove(padded)));

        // Salt only (no values): one permutation, no chaining.
        int saltOnly = PoseidonSpongeLayout.TableVariables(2, 0);
        var single = new PoseidonSpongeLayout(2, [new(4L << saltOnly, 8, 8)], 0, Align((4L << saltOnly) + 16, PoseidonSpongeLayout.LibraEntries(saltOnly)));
        Assert.Equal(1, single.Permutations);
        var singleTable = new Goldilocks[1 << 12];
        Naive.RandomTable(rng, 4).CopyTo(singleTable, 4 << saltOnly);
        var singleDigests = PoseidonSpongeZeroCheck.FillTrace(single, singleTable);
        Assert.Equal(GoldilocksPoseidon.HashSalted(singleTable.AsSpan(4 << saltOnly, 8), []), singleDigests[0]);
        PoseidonSpongeZeroCheck.FillMasks(single, singleTable, rng);
        var singleData = LigeroPcs.Commit(Parameters, singleTable, 1, rng);
        var singleMasks = ZkSumcheckMaskSet.Commit(Parameters, [ZkLinearReduction.Shape(12, 0)], rng);
        var single1 = new Instance(single, singleTable, singleDigests, singleData, singleMasks);
        var singleRun = Prove(single1);
        Assert.True(Verify(single1, singleDigests, singleRun.Sponge.Proof.ToBytes(), singleRun.Reduction.ToBytes(), singleRun.MaskOpening, 12));

        var (pixelSalts, pixels) = RandomRows(rng, Rows, 30, bytes: true);
        var packed = NewInstance(pixelSalts, pixels, rng, pack: 7);
        Assert.Equal(GoldilocksPoseidon.HashSalted(pixelSalts[1], Packed(pixels[1], 7), 0), packed.Digests[1]);
        Assert.Equal(GoldilocksPoseidon.LeafAbsorbCount(5), packed.Layout.Permutations);
        Assert.True(Verify(packed, Prove(packed)));
        // One pixel changed: another digest. Pixel 0 raised by 256 and pixel 1 lowered by 1: the same packed element,
        // the same digest, and a valid proof: the caller must range-check packed entries below the radix.
        var changed = pixels.Select(r => (Goldilocks[])r.Clone()).ToArray();
        changed[1][3] += Goldilocks.One;
        Assert.NotEqual(packed.Digests[1], NewInstance(pixelSalts, changed, rng, pack: 7).Digests[1]);
        var aliased = pixels.Select(r => (Goldilocks[])r.Clone()).ToArray();
        aliased[1][0] += Goldilocks.FromUInt64(256);
        aliased[1][1] -= Goldilocks.One;
        var alias = NewInstance(pixelSalts, aliased, rng, pack: 7);
        Assert.Equal(packed.Digests, alias.Digests);
        Assert.True(Verify(alias, Prove(alias)));
    }

    [Fact]
    public void MisalignedOrOverlappingLayoutsAreRefused()
    {
        int variables = PoseidonSpongeLayout.TableVariables(4, 20);
        long salts = 4L << variables, libra = PoseidonSpongeLayout.LibraEntries(variables);
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts + 8, 8, 8), new(salts + 128, 32, 20)], 0, salts + 256));
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts, 8, 8), new(salts + 128, 24, 20)], 0, salts + 256));
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts, 8, 8), new(salts, 32, 20)], 0, salts + 256));
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts, 8, 8), new(salts + 128, 32, 20)], 1L << variables, salts + 256));
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts, 8, 8), new(salts + 128, 32, 20)], 0, salts + libra / 2));
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts, 8, 4), new(salts + 128, 32, 3)], 0, salts + 256));
        Assert.Throws<ArgumentException>(() => new PoseidonSpongeLayout(4, [new(salts, 8, 8, Pack: 2), new(salts + 128, 32, 20)], 0, salts + 256));
        var layout = new PoseidonSpongeLayout(4, [new(salts, 8, 8), new(salts + 128, 32, 20)], 0, Align(salts + 256, libra));
        Assert.Throws<ArgumentException>(() => PoseidonSpongeZeroCheck.FillTrace(layout, new Goldilocks[1 << variables]));
        Assert.Throws<ArgumentException>(() => PoseidonSpongeZeroCheck.Prove(NewTranscript(), layout, new Goldilocks[1 << TableVariables], [new Goldilocks[4]]));
    }

    [Fact]
    public void ChangedRowsDigestsTraceCellsBitFlipsAndTruncationsAreRejected()
    {
        var rng = new Random(7);
        var (salts, rows) = RandomRows(rng, Rows, Values);
        var honest = NewInstance(salts, rows, new Random(8));
        var run = Prove(honest);
        var (sponge, reduction) = (run.Sponge.Proof.ToBytes(), run.Reduction.ToBytes());
        Assert.True(Verify(honest, run));

        // A wrong digest (each element of each row).
        for (int i = 0; i < Rows; i++)
            for (int e = 0; e < 4; e++)
            {
                var digests = honest.Digests.Select(d => (Goldilocks[])d.Clone()).ToArray();
                digests[i][e] += Goldilocks.One;
                Assert.False(Verify(honest, digests, sponge, reduction, run.MaskOpening));
            }

        // A row changed by one element (a value, then a salt entry): its honest trace proves other digests, and its
        // proof does not verify against the original ones; the honest prover refuses the original digests.
        foreach (var (changeSalt, index) in new[] { (false, 0), (false, Values - 1), (true, 5) })
        {
            var changedRows = rows.Select(r => (Goldilocks[])r.Clone()).ToArray();
            var changedSalts = salts.Select(r => (Goldilocks[])r.Clone()).ToArray();
            (changeSalt ? changedSalts : changedRows)[2][index] += Goldilocks.One;
            var changed = NewInstance(changedSalts, changedRows, new Random(9));
            Assert.NotEqual(honest.Digests[2], changed.Digests[2]);
            var changedRun = Prove(changed);
            Assert.True(Verify(changed, changedRun));
            Assert.False(Verify(changed, honest.Digests, changedRun.Sponge.Proof.ToBytes(), changedRun.Reduction.ToBytes(), changedRun.MaskOpening));
            var claimingOld = changed with { Digests = honest.Digests, Data = LigeroPcs.Commit(Parameters, changed.Table, 1, new Random(10)) };
            Assert.Throws<ArgumentException>(() => Prove(claimingOld));
        }

        // A tampered trace cell (an S-box input, a square, a sixth power, a last-round input of the last permutation): the honest prover refuses,
        // and a prover that proves it anyway is refused by the verifier.
        var layout = honest.Layout;
        foreach (long cell in new[] { layout.TableOffset(0) + layout.Index(2, 1, 37), layout.TableOffset(1) + layout.Index(0, 0, 5), layout.TableOffset(3) + layout.Index(3, 3, 64),
                     layout.TableOffset(0) + layout.Index(layout.Permutations - 1, 2, 110) })
        {
            var tampered = NewInstance(salts, rows, new Random(11), t => t[cell] += Goldilocks.One);
            Assert.Throws<ArgumentException>(() => Prove(tampered));
            var tamperedAgain = NewInstance(salts, rows, new Random(11), t => t[cell] += Goldilocks.One);
            Assert.False(Verify(tamperedAgain, Prove(tamperedAgain, check: false)));
        }

        // Bit flips and truncations of the zero-check's bytes; the zero-check of another table with this reduction.
        for (int i = 0; i < sponge.Length; i += 13)
        {
            var flipped = (byte[])sponge.Clone();
            flipped[i] ^= 1;
            Assert.False(Verify(honest, honest.Digests, flipped, reduction, run.MaskOpening));
        }
        Assert.False(Verify(honest, honest.Digests, sponge[..^1], reduction, run.MaskOpening));
        Assert.False(Verify(honest, honest.Digests, [.. sponge, 0], reduction, run.MaskOpening));
        for (int i = 0; i < reduction.Length; i += 997)
        {
            var flipped = (byte[])reduction.Clone();
            flipped[i] ^= 1;
            Assert.False(Verify(honest, honest.Digests, sponge, flipped, run.MaskOpening));
        }
        var other = NewInstance(salts, rows, new Random(12));
        Assert.False(Verify(honest, honest.Digests, Prove(other).Sponge.Proof.ToBytes(), reduction, run.MaskOpening));
    }

    /// <summary>Any one cell of the four trace tables changed (padding lanes, rows and slots included: A = Y^2, B = A Y, D = B^2 hold everywhere), proven anyway: refused.</summary>
    [Property(MaxTest = 6)]
    public void AnyChangedTraceCellIsRefused(int seed)
    {
        var rng = new Random(seed);
        var (salts, rows) = RandomRows(rng, Rows, Values);
        var layout = NewLayout(Rows, Values);
        long cell = rng.NextInt64(4 * layout.TableSize);
        var tampered = NewInstance(salts, rows, rng, t => t[cell] += Goldilocks.FromUInt64((ulong)rng.Next(1, 1000)));
        Assert.False(Verify(tampered, Prove(tampered, check: false)));
        // Two rows' digests exchanged.
        var honest = NewInstance(salts, rows, rng);
        var run = Prove(honest);
        var swapped = honest.Digests.ToArray();
        (swapped[0], swapped[3]) = (swapped[3], swapped[0]);
        Assert.False(Verify(honest, swapped, run.Sponge.Proof.ToBytes(), run.Reduction.ToBytes(), run.MaskOpening));
    }

    [Fact]
    public void EveryVisibleValueChangesWithTheMasksAndNoneIsAnUnmaskedEvaluation()
    {
        var rng = new Random(21);
        var (salts, rows) = RandomRows(rng, Rows, Values);
        var first = NewInstance(salts, rows, new Random(100));
        var second = NewInstance(salts, rows, new Random(200));
        Assert.Equal(first.Digests, second.Digests);
        var (x, y) = (Prove(first), Prove(second));
        var (px, py) = (x.Sponge.Proof, y.Sponge.Proof);
        Assert.NotEqual(px.MaskSum, py.MaskSum);
        for (int i = 0; i < px.RoundMessages.Length; i++) Assert.NotEqual(px.RoundMessages[i], py.RoundMessages[i]);
        for (int j = 4; j < 11; j++) Assert.NotEqual(px.FinalEvaluations[j], py.FinalEvaluations[j]);
        Assert.NotEqual(px.MaskValue, py.MaskValue);

        // At the proof's own point, no masked final is the unmasked trace's (or row data's) evaluation.
        var layout = first.Layout;
        var r = x.Sponge.Point;
        int size = (int)layout.TableSize;
        for (int t = 0; t < 4; t++)
        {
            var region = first.Table.AsSpan((int)layout.TableOffset(t), size).ToArray();
            var unmasked = Naive.Evaluate(region, r);
            foreach (var final in px.FinalEvaluations[4..].ToArray()) Assert.NotEqual(unmasked, final);
        }
        var sansScalars = x.Sponge.Claims.Take(7).Select(c => new ZkLinearClaim([.. c.Terms.SkipLast(1)]).Apply(first.Table)).ToArray();
        for (int j = 0; j < 7; j++) Assert.NotEqual(sansScalars[j], px.FinalEvaluations[4 + j]);
    }
}
