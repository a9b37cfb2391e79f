using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: for Ligero-committed tables Z (2^n entries, each already proven to lie
/// in ValueBits signed bits, e.g. by <see cref="RescaledProduct"/>), S and H: S = [Z &gt; 0] and H = ReLU(Z) = S Z,
/// entrywise (S is the backward pass's mask).
/// <para>Protocol: the prover commits the 16-bit limbs of U = (2 S - 1) Z - S = 2 H - Z - S and their multiplicities; U is
/// Z - 1 where S = 1 and -Z where S = 0, so U in [0, 2^B) forces Z &gt;= 1 or Z &lt;= 0 respectively. At a random point p
/// it sends S~(p), H~(p), Z~(p) and the limb blocks; the verifier checks the limbs recompose 2 H~ - Z~ - S~ at p, then
/// two product sumchecks with eq(p, .): sum eq S S = S~(p) (S is boolean) and sum eq S Z = H~(p) (H = S Z), LogUp of the
/// limbs in the range table, and Ligero openings of every value.</para>
/// </summary>
internal static class ReluArgument
{
    internal const string Protocol = "ZkMl.Training.Sumcheck.Relu v1";
    private const string Magic = "ZKRL";
    private const ushort FormatVersion = 1;

    /// <summary>The honest mask S = [z &gt; 0] and H = ReLU(z).</summary>
    internal static (long[] Mask, long[] Relu) Compute(ReadOnlySpan<long> z)
    {
        var s = new long[z.Length];
        var h = new long[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            s[i] = z[i] > 0 ? 1 : 0;
            h[i] = z[i] > 0 ? z[i] : 0;
        }
        return (s, h);
    }

    /// <summary>Proves S = [Z &gt; 0] and H = S Z for the committed tables (values <paramref name="zTable"/>, <paramref name="sTable"/>, <paramref name="hTable"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The tables are not an honest ReLU (U leaves [0, 2^B)).</exception>
    internal static byte[] Prove(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroProverData z, LigeroProverData s, LigeroProverData h,
        long[] zTable, long[] sTable, long[] hTable)
    {
        int n = Multilinear.VariableCount(zTable.Length);
        if (sTable.Length != zTable.Length || hTable.Length != zTable.Length) throw new ArgumentException("Z, S and H differ in length.");
        var transcript = Begin(statementDigest, valueBits, z.Commitment, s.Commitment, h.Commitment);
        int uLimbs = RangeLimbs.Count(valueBits), blockVariables = Common.BitMath.CeilingLog2(uLimbs), blocks = 1 << blockVariables, size = zTable.Length;
        var limbs = new Goldilocks[blocks * size];
        Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
        for (int e = 0; e < size; e++)
        {
            RangeLimbs.Decompose(2 * hTable[e] - zTable[e] - sTable[e], valueBits, scratch);
            for (int b = 0; b < uLimbs; b++) limbs[b * size + e] = Goldilocks.FromInt64(scratch[b]);
        }
        var multiplicities = LogUpLookup.Multiplicities(RangeLimbs.Table, limbs);
        var lCommitted = LigeroPcs.Commit(SumcheckStep.Parameters, limbs);
        var mCommitted = LigeroPcs.Commit(SumcheckStep.Parameters, multiplicities);
        var writer = new ProofWriter(Magic, FormatVersion);
        foreach (var c in new[] { lCommitted, mCommitted })
        {
            c.Commitment.WriteTo(writer);
            c.Commitment.AbsorbInto(transcript);
        }

        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("relu.point", p);
        var (zField, sField, hField) = (RescaledProduct.ToField(zTable), RescaledProduct.ToField(sTable), RescaledProduct.ToField(hTable));
        var values = new GoldilocksExt2[3 + blocks];
        values[0] = Multilinear.Evaluate(sField, p);
        values[1] = Multilinear.Evaluate(hField, p);
        values[2] = Multilinear.Evaluate(zField, p);
        for (int b = 0; b < blocks; b++) values[3 + b] = Multilinear.Evaluate(limbs.AsSpan(b * size, size), p);
        transcript.Absorb("relu.values", values);
        writer.Write(values);

        var boolean = ProductSumcheck.ProveInPlace(transcript, Multilinear.EqTable(p), Ext(sField), Ext(sField));
        boolean.Proof.WriteTo(writer);
        var product = ProductSumcheck.ProveInPlace(transcript, Multilinear.EqTable(p), Ext(sField), Ext(zField));
        product.Proof.WriteTo(writer);
        var lookup = LogUpLookup.Prove(transcript, RangeLimbs.Table, multiplicities, limbs);
        lookup.Proof.WriteTo(writer);
        var rb = new GoldilocksExt2[blockVariables];
        transcript.ChallengeExt("relu.blocks", rb);

        var openings = Openings(p, boolean.Reduction.Point.ToArray(), product.Reduction.Point.ToArray(), rb, lookup.Reduction);
        var datas = new[] { z, s, h, lCommitted, mCommitted };
        for (int i = 0; i < datas.Length; i++)
        {
            var opened = new GoldilocksExt2[openings[i].Length];
            LigeroPcs.Open(transcript, datas[i], openings[i], opened).WriteTo(writer);
        }
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="proof"/> shows S = [Z &gt; 0] and H = S Z for the committed tables; malformed bytes give false.</summary>
    internal static bool Verify(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroCommitment z, LigeroCommitment s, LigeroCommitment h, ReadOnlySpan<byte> proof)
    {
        int n = z.Variables;
        if (s.Variables != n || h.Variables != n) return false;
        try
        {
            return VerifyBody(statementDigest, valueBits, z, s, h, proof);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static bool VerifyBody(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroCommitment z, LigeroCommitment s, LigeroCommitment h, ReadOnlySpan<byte> proof)
    {
        int n = z.Variables;
        int uLimbs = RangeLimbs.Count(valueBits), blockVariables = Common.BitMath.CeilingLog2(uLimbs), blocks = 1 << blockVariables;
        var transcript = Begin(statementDigest, valueBits, z, s, h);
        var reader = new ProofReader(proof, Magic, FormatVersion);
        var committed = new LigeroCommitment[2];
        int[] variables = [blockVariables + n, RangeLimbs.LimbBits];
        for (int i = 0; i < committed.Length; i++)
        {
            committed[i] = LigeroCommitment.ReadFrom(ref reader);
            if (committed[i].Parameters != SumcheckStep.Parameters || committed[i].Variables != variables[i]) return false;
            committed[i].AbsorbInto(transcript);
        }

        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("relu.point", p);
        var values = new GoldilocksExt2[3 + blocks];
        reader.ReadExt(values);
        transcript.Absorb("relu.values", values);
        GoldilocksExt2 sValue = values[0], hValue = values[1], zValue = values[2];
        if (!RangeLimbs.Recomposes(hValue + hValue - zValue - sValue, values.AsSpan(3, uLimbs), valueBits)) return false;
        for (int b = uLimbs; b < blocks; b++)
            if (values[3 + b] != GoldilocksExt2.Zero) return false;

        if (!ProductSumcheck.Verify(transcript, n, 3, sValue, SumcheckProof.ReadFrom(ref reader), out var boolean)) return false;
        if (boolean.Evaluations[0] != Multilinear.Eq(p, boolean.Point) || boolean.Evaluations[1] != boolean.Evaluations[2]) return false;
        if (!ProductSumcheck.Verify(transcript, n, 3, hValue, SumcheckProof.ReadFrom(ref reader), out var product)) return false;
        if (product.Evaluations[0] != Multilinear.Eq(p, product.Point)) return false;
        if (!LogUpLookup.Verify(transcript, RangeLimbs.Table, blockVariables + n, LookupProof.ReadFrom(ref reader), out var lookup)) return false;
        var rb = new GoldilocksExt2[blockVariables];
        transcript.ChallengeExt("relu.blocks", rb);
        var eqBlocks = Multilinear.EqTable(rb);
        GoldilocksExt2 folded = GoldilocksExt2.Zero;
        for (int b = 0; b < blocks; b++) folded += eqBlocks[b] * values[3 + b];

        var openings = Openings(p, boolean.Point.ToArray(), product.Point.ToArray(), rb, lookup);
        var expected = new GoldilocksExt2[][]
        {
            [zValue, product.Evaluations[2]], [sValue, boolean.Evaluations[1], product.Evaluations[1]], [hValue],
            [folded, lookup.ColumnValues[0]], [lookup.MultiplicityValue],
        };
        var commitments = new[] { z, s, h, committed[0], committed[1] };
        for (int i = 0; i < commitments.Length; i++)
            if (!LigeroPcs.Verify(transcript, commitments[i], openings[i], expected[i], LigeroOpening.ReadFrom(ref reader))) return false;
        reader.EnsureEnd();
        return true;
    }

    private static Transcript Begin(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroCommitment z, LigeroCommitment s, LigeroCommitment h)
    {
        if (valueBits < 2 || valueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, $"ValueBits takes 2..{RangeLimbs.MaxBits}.");
        var transcript = new Transcript(Protocol, statementDigest);
        transcript.Absorb("relu.bits", (ulong)valueBits);
        z.AbsorbInto(transcript);
        s.AbsorbInto(transcript);
        h.AbsorbInto(transcript);
        return transcript;
    }

    /// <summary>The points each commitment is opened at: Z, S, H, the limb stack, the multiplicities.</summary>
    private static GoldilocksExt2[][][] Openings(GoldilocksExt2[] p, GoldilocksExt2[] booleanPoint, GoldilocksExt2[] productPoint, GoldilocksExt2[] rb, LookupReduction lookup) =>
    [
        [p, productPoint],
        [p, booleanPoint, productPoint],
        [p],
        [[.. rb, .. p], lookup.WitnessPoint.ToArray()],
        [lookup.TablePoint.ToArray()],
    ];

    private static GoldilocksExt2[] Ext(Goldilocks[] table)
    {
        var ext = new GoldilocksExt2[table.Length];
        for (int i = 0; i < table.Length; i++) ext[i] = table[i];
        return ext;
    }
}
