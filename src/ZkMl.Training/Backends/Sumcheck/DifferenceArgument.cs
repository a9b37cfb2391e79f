using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: Y = X1 - X2 entrywise for Ligero-committed tables of one size, and,
/// when ValueBits &gt; 0, every Y in ValueBits signed bits (the update W' = W - Delta with W' in B bits; the output error
/// E = Z2 - T unchecked). The prover commits the 16-bit limbs of Y + 2^(B-1) and their multiplicities; at a random point
/// p it sends X1~, X2~, Y~ and the limb blocks; the verifier checks Y~ = X1~ - X2~ and the recomposition (linear
/// identities), LogUp of the limbs, the block fold, and the openings.
/// </summary>
internal static class DifferenceArgument
{
    internal const string Protocol = "ZkMl.Training.Sumcheck.Difference v1";
    private const string Magic = "ZKDF";
    private const ushort FormatVersion = 1;

    /// <summary>Proves Y = X1 - X2 (and Y in <paramref name="valueBits"/> signed bits when positive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A Y entry leaves the range.</exception>
    internal static byte[] Prove(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroProverData x1, LigeroProverData x2, LigeroProverData y,
        long[] x1Table, long[] x2Table, long[] yTable)
    {
        int n = Multilinear.VariableCount(yTable.Length);
        if (x1Table.Length != yTable.Length || x2Table.Length != yTable.Length) throw new ArgumentException("X1, X2 and Y differ in length.");
        var transcript = Begin(statementDigest, valueBits, x1.Commitment, x2.Commitment, y.Commitment);
        var writer = new ProofWriter(Magic, FormatVersion);
        int limbCount = valueBits > 0 ? RangeLimbs.Count(valueBits) : 0;
        int blockVariables = Common.BitMath.CeilingLog2(Math.Max(limbCount, 1)), blocks = limbCount > 0 ? 1 << blockVariables : 0, size = yTable.Length;
        Goldilocks[] limbs = [], multiplicities = [];
        LigeroProverData? lCommitted = null, mCommitted = null;
        if (limbCount > 0)
        {
            limbs = new Goldilocks[blocks * size];
            Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
            for (int e = 0; e < size; e++)
            {
                RangeLimbs.Decompose(yTable[e] + (1L << (valueBits - 1)), valueBits, scratch);
                for (int b = 0; b < limbCount; b++) limbs[b * size + e] = Goldilocks.FromInt64(scratch[b]);
            }
            multiplicities = LogUpLookup.Multiplicities(RangeLimbs.Table, limbs);
            lCommitted = LigeroPcs.Commit(SumcheckStep.Parameters, limbs);
            mCommitted = LigeroPcs.Commit(SumcheckStep.Parameters, multiplicities);
            foreach (var c in new[] { lCommitted, mCommitted })
            {
                c.Commitment.WriteTo(writer);
                c.Commitment.AbsorbInto(transcript);
            }
        }

        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("difference.point", p);
        var values = new GoldilocksExt2[3 + blocks];
        values[0] = Multilinear.Evaluate(RescaledProduct.ToField(x1Table), p);
        values[1] = Multilinear.Evaluate(RescaledProduct.ToField(x2Table), p);
        values[2] = Multilinear.Evaluate(RescaledProduct.ToField(yTable), p);
        for (int b = 0; b < blocks; b++) values[3 + b] = Multilinear.Evaluate(limbs.AsSpan(b * size, size), p);
        transcript.Absorb("difference.values", values);
        writer.Write(values);
        var datas = new List<LigeroProverData> { x1, x2, y };
        var points = new List<GoldilocksExt2[][]> { new[] { p }, new[] { p }, new[] { p } };
        if (limbCount > 0)
        {
            var lookup = LogUpLookup.Prove(transcript, RangeLimbs.Table, multiplicities, limbs);
            lookup.Proof.WriteTo(writer);
            var rb = new GoldilocksExt2[blockVariables];
            transcript.ChallengeExt("difference.blocks", rb);
            datas.Add(lCommitted!);
            points.Add([[.. rb, .. p], lookup.Reduction.WitnessPoint.ToArray()]);
            datas.Add(mCommitted!);
            points.Add([lookup.Reduction.TablePoint.ToArray()]);
        }
        for (int i = 0; i < datas.Count; i++)
            LigeroPcs.Open(transcript, datas[i], points[i], new GoldilocksExt2[points[i].Length]).WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="proof"/> shows Y = X1 - X2 (and the range) for the committed tables; malformed bytes give false.</summary>
    internal static bool Verify(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroCommitment x1, LigeroCommitment x2, LigeroCommitment y, ReadOnlySpan<byte> proof)
    {
        int n = y.Variables;
        if (x1.Variables != n || x2.Variables != n) return false;
        try
        {
            return VerifyBody(statementDigest, valueBits, x1, x2, y, proof);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static bool VerifyBody(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroCommitment x1, LigeroCommitment x2, LigeroCommitment y, ReadOnlySpan<byte> proof)
    {
        int n = y.Variables;
        var transcript = Begin(statementDigest, valueBits, x1, x2, y);
        var reader = new ProofReader(proof, Magic, FormatVersion);
        int limbCount = valueBits > 0 ? RangeLimbs.Count(valueBits) : 0;
        int blockVariables = Common.BitMath.CeilingLog2(Math.Max(limbCount, 1)), blocks = limbCount > 0 ? 1 << blockVariables : 0;
        LigeroCommitment? lCommitment = null, mCommitment = null;
        if (limbCount > 0)
        {
            lCommitment = LigeroCommitment.ReadFrom(ref reader);
            mCommitment = LigeroCommitment.ReadFrom(ref reader);
            if (lCommitment.Parameters != SumcheckStep.Parameters || lCommitment.Variables != blockVariables + n) return false;
            if (mCommitment.Parameters != SumcheckStep.Parameters || mCommitment.Variables != RangeLimbs.LimbBits) return false;
            lCommitment.AbsorbInto(transcript);
            mCommitment.AbsorbInto(transcript);
        }
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("difference.point", p);
        var values = new GoldilocksExt2[3 + blocks];
        reader.ReadExt(values);
        transcript.Absorb("difference.values", values);
        if (values[2] != values[0] - values[1]) return false;
        var commitments = new List<LigeroCommitment> { x1, x2, y };
        var points = new List<GoldilocksExt2[][]> { new[] { p }, new[] { p }, new[] { p } };
        var expected = new List<GoldilocksExt2[]> { new[] { values[0] }, new[] { values[1] }, new[] { values[2] } };
        if (limbCount > 0)
        {
            if (!RangeLimbs.Recomposes(values[2] + Goldilocks.FromUInt64(1UL << (valueBits - 1)), values.AsSpan(3, limbCount), valueBits)) return false;
            for (int b = limbCount; b < blocks; b++)
                if (values[3 + b] != GoldilocksExt2.Zero) return false;
            if (!LogUpLookup.Verify(transcript, RangeLimbs.Table, blockVariables + n, LookupProof.ReadFrom(ref reader), out var lookup)) return false;
            var rb = new GoldilocksExt2[blockVariables];
            transcript.ChallengeExt("difference.blocks", rb);
            var eqBlocks = Multilinear.EqTable(rb);
            GoldilocksExt2 folded = GoldilocksExt2.Zero;
            for (int b = 0; b < blocks; b++) folded += eqBlocks[b] * values[3 + b];
            commitments.Add(lCommitment!);
            points.Add([[.. rb, .. p], lookup.WitnessPoint.ToArray()]);
            expected.Add([folded, lookup.ColumnValues[0]]);
            commitments.Add(mCommitment!);
            points.Add([lookup.TablePoint.ToArray()]);
            expected.Add([lookup.MultiplicityValue]);
        }
        for (int i = 0; i < commitments.Count; i++)
            if (!LigeroPcs.Verify(transcript, commitments[i], points[i], expected[i], LigeroOpening.ReadFrom(ref reader))) return false;
        reader.EnsureEnd();
        return true;
    }

    private static Transcript Begin(ReadOnlySpan<byte> statementDigest, int valueBits, LigeroCommitment x1, LigeroCommitment x2, LigeroCommitment y)
    {
        if (valueBits < 0 || valueBits == 1 || valueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, $"ValueBits takes 0 (unchecked) or 2..{RangeLimbs.MaxBits}.");
        var transcript = new Transcript(Protocol, statementDigest);
        transcript.Absorb("difference.bits", (ulong)valueBits);
        x1.AbsorbInto(transcript);
        x2.AbsorbInto(transcript);
        y.AbsorbInto(transcript);
        return transcript;
    }
}
