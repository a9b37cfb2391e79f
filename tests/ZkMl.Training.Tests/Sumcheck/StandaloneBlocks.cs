using ZkMl.Field;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// One block proven alone, as a step proof with only that block: its operands are public commitments, its remainders
/// and limbs the stacked private commitment, then the shared lookup and the openings (<see cref="StepProver"/>).
/// </summary>
internal static class StandaloneBlocks
{
    private delegate bool Part(StepVerifier step, ref ProofReader reader);

    private static Goldilocks[] F(long[] table) => RescaledProduct.ToField(table);

    internal static byte[] ProveRescaled(byte[] digest, RescaledProductShape shape, LigeroProverData ca, LigeroProverData cw, LigeroProverData cz,
        long[] a, long[] w, long[] z, long[] r, bool @unchecked = false)
    {
        var step = new StepProver(digest);
        var (oa, ow, oz) = (step.AddPublic(ca, F(a)), step.AddPublic(cw, F(w)), step.AddPublic(cz, F(z)));
        var limbs = RescaledProduct.LimbTables(shape, z, r, @unchecked);
        var (or, ol) = (step.AddPrivate(F(r)), limbs.Select(step.AddLimbs).ToArray());
        step.Commit();
        RescaledProduct.Prove(step, shape, oa, ow, oz, or, ol, a, w, z, r, limbs);
        return step.Finish();
    }

    internal static bool VerifyRescaled(byte[] digest, RescaledProductShape shape, LigeroCommitment a, LigeroCommitment w, LigeroCommitment z, byte[] proof)
    {
        if (a.Variables != shape.RowVariables + shape.InnerVariables || w.Variables != shape.ColumnVariables + shape.InnerVariables || z.Variables != shape.OutputVariables)
            return false;
        StepOracle oa = default, ow = default, oz = default, or = default;
        StepOracle[] ol = [];
        return Verify(digest, proof, step =>
        {
            (oa, ow, oz) = (step.AddPublic(a), step.AddPublic(w), step.AddPublic(z));
            (or, ol) = (step.AddPrivate(shape.OutputVariables), [.. Enumerable.Range(0, RescaledProduct.LimbCount(shape)).Select(_ => step.AddLimbs(shape.OutputVariables))]);
        }, (StepVerifier step, ref ProofReader reader) => RescaledProduct.Verify(step, ref reader, shape, oa, ow, oz, or, ol));
    }

    internal static byte[] ProveRelu(byte[] digest, int bits, LigeroProverData cz, LigeroProverData cs, LigeroProverData ch, long[] z, long[] s, long[] h)
    {
        var step = new StepProver(digest);
        var (oz, os, oh) = (step.AddPublic(cz, F(z)), step.AddPublic(cs, F(s)), step.AddPublic(ch, F(h)));
        var limbs = ReluArgument.LimbTables(bits, z, s, h);
        var ol = limbs.Select(step.AddLimbs).ToArray();
        step.Commit();
        ReluArgument.Prove(step, bits, oz, os, oh, ol, z, s, h, limbs);
        return step.Finish();
    }

    internal static bool VerifyRelu(byte[] digest, int bits, LigeroCommitment z, LigeroCommitment s, LigeroCommitment h, byte[] proof)
    {
        int n = z.Variables;
        if (s.Variables != n || h.Variables != n) return false;
        StepOracle oz = default, os = default, oh = default;
        StepOracle[] ol = [];
        return Verify(digest, proof, step =>
        {
            (oz, os, oh) = (step.AddPublic(z), step.AddPublic(s), step.AddPublic(h));
            ol = [.. Enumerable.Range(0, RangeLimbs.Count(bits)).Select(_ => step.AddLimbs(n))];
        }, (StepVerifier step, ref ProofReader reader) => ReluArgument.Verify(step, ref reader, bits, n, oz, os, oh, ol));
    }

    internal static byte[] ProveDifference(byte[] digest, int bits, LigeroProverData c1, LigeroProverData c2, LigeroProverData cy, long[] x1, long[] x2, long[] y)
    {
        var step = new StepProver(digest);
        var (o1, o2, oy) = (step.AddPublic(c1, F(x1)), step.AddPublic(c2, F(x2)), step.AddPublic(cy, F(y)));
        var limbs = bits > 0 ? DifferenceArgument.LimbTables(bits, y) : [];
        var ol = limbs.Select(step.AddLimbs).ToArray();
        step.Commit();
        DifferenceArgument.Prove(step, bits, o1, o2, oy, ol, x1, x2, y, limbs);
        return step.Finish();
    }

    internal static bool VerifyDifference(byte[] digest, int bits, LigeroCommitment x1, LigeroCommitment x2, LigeroCommitment y, byte[] proof)
    {
        int n = y.Variables;
        if (x1.Variables != n || x2.Variables != n) return false;
        StepOracle o1 = default, o2 = default, oy = default;
        StepOracle[] ol = [];
        return Verify(digest, proof, step =>
        {
            (o1, o2, oy) = (step.AddPublic(x1), step.AddPublic(x2), step.AddPublic(y));
            if (bits > 0) ol = [.. Enumerable.Range(0, RangeLimbs.Count(bits)).Select(_ => step.AddLimbs(n))];
        }, (StepVerifier step, ref ProofReader reader) => DifferenceArgument.Verify(step, ref reader, bits, n, o1, o2, oy, ol));
    }

    internal static byte[] ProveHadamard(byte[] digest, LigeroProverData cs, LigeroProverData cq, LigeroProverData cd, long[] s, long[] q, long[] d)
    {
        var step = new StepProver(digest);
        var (os, oq, od) = (step.AddPublic(cs, F(s)), step.AddPublic(cq, F(q)), step.AddPublic(cd, F(d)));
        step.Commit();
        HadamardArgument.Prove(step, os, oq, od, s, q, d);
        return step.Finish();
    }

    internal static bool VerifyHadamard(byte[] digest, LigeroCommitment s, LigeroCommitment q, LigeroCommitment d, byte[] proof)
    {
        int n = s.Variables;
        if (q.Variables != n || d.Variables != n) return false;
        StepOracle os = default, oq = default, od = default;
        return Verify(digest, proof, step => (os, oq, od) = (step.AddPublic(s), step.AddPublic(q), step.AddPublic(d)),
            (StepVerifier step, ref ProofReader reader) => HadamardArgument.Verify(step, ref reader, n, os, oq, od));
    }

    private static bool Verify(byte[] digest, byte[] proof, Action<StepVerifier> register, Part part)
    {
        try
        {
            var reader = new ProofReader(proof, StepProver.Magic, StepProver.FormatVersion);
            var step = new StepVerifier(digest);
            register(step);
            if (!step.Commit(ref reader) || !part(step, ref reader) || !step.Finish(ref reader)) return false;
            reader.EnsureEnd();
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }
}
