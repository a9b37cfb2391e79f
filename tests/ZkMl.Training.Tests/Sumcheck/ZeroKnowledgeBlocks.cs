using ZkMl.Field;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Blocks proven alone in zero knowledge: a step ("ZKST" v6, <see cref="StepProver"/>, <see cref="StepVerifier"/>) whose
/// hiding stack holds the blocks' tables (operands, outputs, remainders) and limb tables, running only those blocks as
/// masked zero-checks, the shared range lookup and the joint reduction. The verifier knows the tables' sizes and the
/// blocks, nothing else.
/// </summary>
internal static class ZeroKnowledgeBlocks
{
    /// <summary>The blocks over the registered tables and limb blocks (both sides build them from the oracles).</summary>
    internal delegate ZeroCheck[] Blocks(StepOracle[] tables, StepOracle[][] limbs);

    internal static Goldilocks[] F(long[] table) => RescaledProduct.ToField(table);

    /// <summary>
    /// The proof of <paramref name="blocks"/> over <paramref name="tables"/> and <paramref name="limbs"/>. A cheating prover:
    /// <paramref name="afterCommit"/> may change the tables the prover's zero-checks read after the stack is committed
    /// (its finals then claim values the commitment does not hold).
    /// </summary>
    internal static byte[] Prove(byte[] digest, Goldilocks[][] tables, Goldilocks[][][] limbs, Blocks blocks, Action? afterCommit = null)
    {
        var step = new StepProver(digest);
        var ot = tables.Select(step.AddPrivate).ToArray();
        var ol = limbs.Select(block => block.Select(step.AddLimbs).ToArray()).ToArray();
        var checks = blocks(ot, ol);
        step.Commit(checks);
        afterCommit?.Invoke();
        foreach (var check in checks) step.Prove(check);
        return step.Finish();
    }

    /// <summary>True when <paramref name="proof"/> proves <paramref name="blocks"/> over tables and limb blocks of these sizes.</summary>
    internal static bool Verify(byte[] digest, int[] tableVariables, int[][] limbVariables, Blocks blocks, byte[] proof)
    {
        try
        {
            var reader = new ProofReader(proof, StepProver.Magic, StepProver.ZeroKnowledgeVersion);
            var step = new StepVerifier(digest);
            var ot = tableVariables.Select(step.AddPrivate).ToArray();
            var ol = limbVariables.Select(block => block.Select(step.AddLimbs).ToArray()).ToArray();
            return step.VerifyAll(ref reader, blocks(ot, ol));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>The variables of each table and limb table (what the verifier knows).</summary>
    internal static (int[] Tables, int[][] Limbs) Sizes(Goldilocks[][] tables, Goldilocks[][][] limbs) =>
        ([.. tables.Select(t => Multilinear.VariableCount(t.Length))], [.. limbs.Select(b => b.Select(t => Multilinear.VariableCount(t.Length)).ToArray())]);

    /// <summary>Proves and verifies (with the verifier's own <paramref name="verifierBlocks"/> and digest when given); <paramref name="tamper"/> alters the proof bytes.</summary>
    internal static bool ProveAndVerify(byte[] digest, Goldilocks[][] tables, Goldilocks[][][] limbs, Blocks blocks, Blocks? verifierBlocks = null,
        byte[]? verifierDigest = null, Func<byte[], byte[]>? tamper = null, Action? afterCommit = null)
    {
        var (tv, lv) = Sizes(tables, limbs);
        var proof = Prove(digest, tables, limbs, blocks, afterCommit);
        proof = tamper?.Invoke(proof) ?? proof;
        return Verify(verifierDigest ?? digest, tv, lv, verifierBlocks ?? blocks, proof);
    }

    /// <summary>One rescaled product Z = Rescale_k(c A W^T) over tables [A, W, Z, R] and its limbs (<see cref="RescaledProduct.LimbTables"/>).</summary>
    internal static Blocks Rescaled(RescaledProductShape shape) => (t, l) => [ZeroCheck.RescaledProduct(shape, t[0], t[1], t[2], t[3], l[0])];

    /// <summary>The tables and limbs of <see cref="Rescaled"/> (padded A, W in their stored layouts).</summary>
    internal static (Goldilocks[][] Tables, Goldilocks[][][] Limbs) RescaledTables(RescaledProductShape shape, long[] a, long[] w, long[] z, long[] r, bool @unchecked = false) =>
        ([F(a), F(w), F(z), F(r)], [RescaledProduct.LimbTables(shape, z, r, @unchecked)]);

    /// <summary>Flips one random bit of a copy of <paramref name="proof"/>: of byte i for i &lt; 8 (the header and the stack commitment's rate), else of a random byte.</summary>
    internal static byte[] Flip(byte[] proof, Random random, int i)
    {
        var flipped = (byte[])proof.Clone();
        flipped[i < 8 ? i : random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
        return flipped;
    }
}
