using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Malicious <see cref="PoseidonSpongeZeroCheck"/> provers that write a WHOLE consistent trace of another computation
/// (every S-box relation A = Y^2, B = A Y, D = B^2 and every in-permutation relation holds) and claim that
/// computation's outputs as the digests: a sponge that does not chain its permutations, one that absorbs a value other
/// than the committed row's, one with another domain's capacity tag, digests read from other lanes, digests taken one
/// permutation early (a row shorter than declared). Each is proven anyway (the prover's check skipped, the transcript
/// consistent) and must be refused; the same filler without a deviation reproduces <c>FillTrace</c> and verifies.
/// </summary>
public class AdversarialPoseidonSpongeTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);
    private const int Rows = 3, Values = 12, TableVariables = 15;

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.AdversarialPoseidon", Naive.Digest("adversarial-poseidon"));

    private static long Align(long at, long alignment) => (at + alignment - 1) / alignment * alignment;

    private static PoseidonSpongeLayout NewLayout()
    {
        int rowVariables = 2, stride = 16;
        int variables = PoseidonSpongeLayout.TableVariables(Rows, Values);
        long salts = 4L << variables;
        long valuesAt = Align(salts + (8L << rowVariables), (long)stride << rowVariables);
        long masks = Align(valuesAt + ((long)stride << rowVariables), PoseidonSpongeLayout.LibraEntries(variables));
        return new PoseidonSpongeLayout(Rows, [new(salts, 8, 8), new(valuesAt, stride, Values)], 0, masks);
    }

    public enum Deviation { None, NoChaining, OtherValue, OtherDomain, OtherLanes, EarlyDigest }

    /// <summary>Writes Y, A, B, D of the (possibly deviating) sponge of every row and returns what it outputs.</summary>
    private static Goldilocks[][] FillFakeTrace(PoseidonSpongeLayout layout, Goldilocks[] table, Deviation deviation)
    {
        int size = (int)layout.TableSize;
        Array.Clear(table, (int)layout.TableOffset(0), 4 * size);
        var digests = new Goldilocks[layout.Rows][];
        var state = new Goldilocks[GoldilocksPoseidon.Width];
        var sboxed = new Goldilocks[GoldilocksPoseidon.Width];
        for (int row = 0; row < layout.Rows; row++)
        {
            var stream = new List<Goldilocks>();
            foreach (var s in layout.Segments) stream.AddRange(table.AsSpan((int)(s.Offset + (long)row * s.RowStride), s.Count).ToArray());
            if (deviation == Deviation.OtherValue && row == 1) stream[9] += Goldilocks.One;
            Array.Clear(state);
            Goldilocks[]? early = null;
            for (int k = 0; k < layout.Permutations; k++)
            {
                if (k == layout.Permutations - 1) early = state[..GoldilocksPoseidon.DigestSize];
                if (deviation == Deviation.NoChaining && k > 0) Array.Clear(state);
                for (int lane = 0; lane < GoldilocksPoseidon.Rate && 8 * k + lane < stream.Count; lane++) state[lane] += stream[8 * k + lane];
                if (k == 0) state[GoldilocksPoseidon.Rate] += GoldilocksPoseidon.LeafTag(layout.ValueCount, deviation == Deviation.OtherDomain ? 1 : layout.Domain);
                for (int round = 0, cell = 0; round < GoldilocksPoseidon.Rounds; round++)
                {
                    bool full = GoldilocksPoseidon.IsFullRound(round);
                    for (int i = 0; i < GoldilocksPoseidon.Width; i++)
                    {
                        var input = state[i] + GoldilocksPoseidon.RoundConstant(round, i);
                        sboxed[i] = input;
                        if (!full && i > 0) continue;
                        table[layout.TableOffset(0) + layout.Index(k, row, cell++)] = input;
                        sboxed[i] = GoldilocksPoseidon.SBox(input);
                    }
                    for (int i = 0; i < GoldilocksPoseidon.Width; i++)
                    {
                        Goldilocks acc = Goldilocks.Zero;
                        for (int j = 0; j < GoldilocksPoseidon.Width; j++) acc += GoldilocksPoseidon.MdsEntry(i, j) * sboxed[j];
                        state[i] = acc;
                    }
                }
            }
            digests[row] = deviation switch
            {
                Deviation.OtherLanes => state[4..8],
                Deviation.EarlyDigest => early!,
                _ => state[..GoldilocksPoseidon.DigestSize],
            };
        }
        for (int x = 0; x < size; x++)
        {
            var y = table[layout.TableOffset(0) + x];
            table[layout.TableOffset(1) + x] = y * y;
            table[layout.TableOffset(2) + x] = y * y * y;
            table[layout.TableOffset(3) + x] = y * y * y * y * y * y;
        }
        return digests;
    }

    private static (PoseidonSpongeLayout Layout, Goldilocks[] Table, Goldilocks[][] Digests) NewTable(int seed, Deviation deviation)
    {
        var rng = new Random(seed);
        var layout = NewLayout();
        var table = new Goldilocks[1 << TableVariables];
        for (int row = 0; row < Rows; row++)
        {
            Naive.RandomTable(rng, 3).CopyTo(table, (int)(layout.Segments[0].Offset + 8 * row));
            for (int c = 0; c < Values; c++) table[layout.Segments[1].Offset + 16 * row + c] = Goldilocks.Random(rng);
        }
        var digests = FillFakeTrace(layout, table, deviation);
        PoseidonSpongeZeroCheck.FillMasks(layout, table, new Random(seed + 1));
        return (layout, table, digests);
    }

    /// <summary>Proves the table's digests with the prover's check skipped, then verifies the zero-check and its reduction.</summary>
    private static bool ProveAndVerify(PoseidonSpongeLayout layout, Goldilocks[] table, Goldilocks[][] digests, int seed)
    {
        var masking = new Random(seed + 2);
        var data = LigeroPcs.Commit(Parameters, table, 1, masking);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [ZkLinearReduction.Shape(TableVariables, 0)], masking);
        Transcript Absorbed()
        {
            var t = NewTranscript();
            masks.Commitment.AbsorbInto(t);
            data.Commitment.AbsorbInto(t);
            return t;
        }
        var transcript = Absorbed();
        var sponge = PoseidonSpongeZeroCheck.Prove(transcript, layout, table, digests, check: false);
        var reduction = ZkLinearReduction.Prove(transcript, data, 0, 0, masks, 0, sponge.Claims, sponge.Values, out var result);
        var maskOpening = masks.Open(transcript, [result.Point.ToArray()], new GoldilocksExt2[1]);

        var verifier = Absorbed();
        if (!PoseidonSpongeZeroCheck.Verify(verifier, layout, digests, sponge.Proof.ToBytes(), out var claims, out var values)) return false;
        if (!ZkLinearReduction.Verify(verifier, data.Commitment, 0, 0, ZkLinearReduction.Shape(TableVariables, 0), claims, values, reduction.ToBytes(), out var reduced)) return false;
        return ZkSumcheckMaskSet.Verify(verifier, masks.Commitment, masks.Shapes, [reduced.Point.ToArray()], [reduced.MaskValue], maskOpening);
    }

    /// <summary>The filler without a deviation is FillTrace (same table, same digests = HashSalted) and its proof verifies.</summary>
    [Fact]
    public void TheFakeTraceFillerIsFillTraceWithoutADeviation()
    {
        var (layout, table, digests) = NewTable(1, Deviation.None);
        var copy = (Goldilocks[])table.Clone();
        var honest = PoseidonSpongeZeroCheck.FillTrace(layout, copy);
        Assert.Equal(table, copy);
        for (int row = 0; row < Rows; row++)
        {
            Assert.Equal(honest[row], digests[row]);
            var salt = table.AsSpan((int)layout.Segments[0].Offset + 8 * row, 8);
            var values = table.AsSpan((int)layout.Segments[1].Offset + 16 * row, Values);
            Assert.Equal(GoldilocksPoseidon.HashSalted(salt, values), digests[row]);
        }
        Assert.True(ProveAndVerify(layout, table, digests, 1));
    }

    /// <summary>A whole consistent trace of another sponge, its outputs claimed as the digests: refused.</summary>
    [Theory]
    [InlineData(Deviation.NoChaining)]
    [InlineData(Deviation.OtherValue)]
    [InlineData(Deviation.OtherDomain)]
    [InlineData(Deviation.OtherLanes)]
    [InlineData(Deviation.EarlyDigest)]
    public void AConsistentTraceOfAnotherSpongeIsRefused(Deviation deviation)
    {
        var (layout, table, digests) = NewTable(3, deviation);
        var (_, _, honestDigests) = NewTable(3, Deviation.None);
        Assert.NotEqual(honestDigests, digests);
        Assert.False(ProveAndVerify(layout, table, digests, 3));
    }
}
