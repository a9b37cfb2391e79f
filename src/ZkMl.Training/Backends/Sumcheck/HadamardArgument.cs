using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A building block of the sumcheck step proof: D = S o Q entrywise for tables of one size (the backward pass's
/// d = [z1 &gt; 0] Rescale_f(g), with S proven boolean by <see cref="ReluArgument"/>). At a random point p the prover
/// sends D~(p); the product sumcheck sum eq(p, .) S Q = D~(p) reduces it to claims on S and Q at one point.
/// </summary>
internal static class HadamardArgument
{
    /// <summary>Proves D = S o Q on the step's transcript, stating claims on S, Q and D.</summary>
    internal static void Prove(StepProver step, StepOracle s, StepOracle q, StepOracle d, long[] sTable, long[] qTable, long[] dTable)
    {
        int n = Multilinear.VariableCount(sTable.Length);
        if (qTable.Length != sTable.Length || dTable.Length != sTable.Length) throw new ArgumentException("S, Q and D differ in length.");
        var transcript = step.Transcript;
        var p = new GoldilocksExt2[n];
        transcript.ChallengeExt("hadamard.point", p);
        GoldilocksExt2 dValue = Multilinear.Evaluate(RescaledProduct.ToField(dTable), p);
        transcript.Absorb("hadamard.value", [dValue]);
        step.Writer.Write(dValue);
        var product = ProductSumcheck.ProveInPlace(transcript, Multilinear.EqTable(p), Ext(sTable), Ext(qTable));
        product.Proof.WriteTo(step.Writer);
        var point = product.Reduction.Point.ToArray();
        step.Claim(s, point, product.Reduction.Evaluations[1]);
        step.Claim(q, point, product.Reduction.Evaluations[2]);
        step.Claim(d, p, dValue);
    }

    /// <summary>Checks a <see cref="Prove"/> part of the step proof and records its claims; false when a check fails.</summary>
    internal static bool Verify(StepVerifier step, ref ProofReader reader, int variables, StepOracle s, StepOracle q, StepOracle d)
    {
        var transcript = step.Transcript;
        var p = new GoldilocksExt2[variables];
        transcript.ChallengeExt("hadamard.point", p);
        GoldilocksExt2 dValue = reader.ReadExt();
        transcript.Absorb("hadamard.value", [dValue]);
        if (!ProductSumcheck.Verify(transcript, variables, 3, dValue, SumcheckProof.ReadFrom(ref reader), out var product)) return false;
        if (product.Evaluations[0] != Multilinear.Eq(p, product.Point)) return false;
        var point = product.Point.ToArray();
        step.Claim(s, point, product.Evaluations[1]);
        step.Claim(q, point, product.Evaluations[2]);
        step.Claim(d, p, dValue);
        return true;
    }

    private static GoldilocksExt2[] Ext(long[] table)
    {
        var ext = new GoldilocksExt2[table.Length];
        for (int i = 0; i < table.Length; i++) ext[i] = Goldilocks.FromInt64(table[i]);
        return ext;
    }
}
