using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: D = S o Q entrywise for Ligero-committed tables of one size (the
/// backward pass's d = [z1 &gt; 0] Rescale_f(g), with S proven boolean by <see cref="ReluArgument"/>). At a random point p
/// the prover sends D~(p); the product sumcheck sum eq(p, .) S Q = D~(p) reduces it to S and Q at one point; three openings.
/// </summary>
internal static class HadamardArgument
{
    internal const string Protocol = "ZkMl.Training.Sumcheck.Hadamard v1";
    private const string Magic = "ZKHD";
    private const ushort FormatVersion = 1;

    /// <summary>Proves D = S o Q for the committed tables with values <paramref name="sTable"/>, <paramref name="qTable"/>, <paramref name="dTable"/>.</summary>
    internal static byte[] Prove(ReadOnlySpan<byte> statementDigest, LigeroProverData s, LigeroProverData q, LigeroProverData d, long[] sTable, long[] qTable, long[] dTable)
    {
        int n = Multilinear.VariableCount(sTable.Length);
        if (qTable.Length != sTable.Length || dTable.Length != sTable.Length) throw new ArgumentException("S, Q and D differ in length.");
        var transcript = Begin(statementDigest, s.Commitment, q.Commitment, d.Commitment);
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("hadamard.point", p);
        var writer = new ProofWriter(Magic, FormatVersion);
        GoldilocksExt2 dValue = Multilinear.Evaluate(RescaledProduct.ToField(dTable), p);
        transcript.Absorb("hadamard.value", [dValue]);
        writer.Write(dValue);
        var product = ProductSumcheck.ProveInPlace(transcript, Multilinear.EqTable(p), Ext(sTable), Ext(qTable));
        product.Proof.WriteTo(writer);
        var point = product.Reduction.Point.ToArray();
        var datas = new[] { s, q, d };
        var points = new[] { point, point, p };
        for (int i = 0; i < datas.Length; i++)
            LigeroPcs.Open(transcript, datas[i], [points[i]], new GoldilocksExt2[1]).WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="proof"/> shows D = S o Q for the committed tables; malformed bytes give false.</summary>
    internal static bool Verify(ReadOnlySpan<byte> statementDigest, LigeroCommitment s, LigeroCommitment q, LigeroCommitment d, ReadOnlySpan<byte> proof)
    {
        int n = s.Variables;
        if (q.Variables != n || d.Variables != n) return false;
        try
        {
            var transcript = Begin(statementDigest, s, q, d);
            var p = new GoldilocksExt2[n];
            transcript.ChallengeExt("hadamard.point", p);
            var reader = new ProofReader(proof, Magic, FormatVersion);
            GoldilocksExt2 dValue = reader.ReadExt();
            transcript.Absorb("hadamard.value", [dValue]);
            if (!ProductSumcheck.Verify(transcript, n, 3, dValue, SumcheckProof.ReadFrom(ref reader), out var product)) return false;
            if (product.Evaluations[0] != Multilinear.Eq(p, product.Point)) return false;
            var point = product.Point.ToArray();
            var commitments = new[] { s, q, d };
            var points = new[] { point, point, p };
            GoldilocksExt2[] expected = [product.Evaluations[1], product.Evaluations[2], dValue];
            for (int i = 0; i < commitments.Length; i++)
                if (!LigeroPcs.Verify(transcript, commitments[i], [points[i]], expected.AsSpan(i, 1), LigeroOpening.ReadFrom(ref reader))) return false;
            reader.EnsureEnd();
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static Transcript Begin(ReadOnlySpan<byte> statementDigest, LigeroCommitment s, LigeroCommitment q, LigeroCommitment d)
    {
        var transcript = new Transcript(Protocol, statementDigest);
        s.AbsorbInto(transcript);
        q.AbsorbInto(transcript);
        d.AbsorbInto(transcript);
        return transcript;
    }

    private static GoldilocksExt2[] Ext(long[] table)
    {
        var ext = new GoldilocksExt2[table.Length];
        for (int i = 0; i < table.Length; i++) ext[i] = Goldilocks.FromInt64(table[i]);
        return ext;
    }
}
