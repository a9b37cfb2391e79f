using System.Diagnostics;
using Xunit.Abstractions;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Opt-in measurement (ZKML_ZK_REDUCTION_VARIABLES=n, e.g. 22 for a stack of the 784-128-10 / 64 step's order): m = 64
/// eq claims at random points of 2^(n-4)-entry regions of one table, proven (a) as v2 does, non-hiding: a
/// <see cref="PointReduction"/> and one plain opening, and (b) zero-knowledge: a hiding commitment (one opening, two
/// evaluation slots) and one <see cref="ZkLinearReduction"/> with its mask down a column, or (c) with its mask in a
/// one-sumcheck <see cref="ZkSumcheckMaskSet"/>. Rate 1/4, 371 queries.
/// Without the variable the test returns at once.
/// </summary>
public class ZeroKnowledgeReductionCostTests(ITestOutputHelper output)
{
    private const int Claims = 64;

    [Fact]
    public void MeasureTheZeroKnowledgeReductionAgainstThePlainOne()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("ZKML_ZK_REDUCTION_VARIABLES"), out int n)) return;
        var rng = new Random(1);
        var table = new Goldilocks[1 << n];
        for (int i = 0; i < table.Length; i++) table[i] = Goldilocks.FromUInt64((ulong)rng.Next(1 << 16));
        int region = n - 4;
        var points = Enumerable.Range(0, Claims).Select(j => (Offset: (long)(j % 16) << region, Point: Naive.RandomPoint(rng, region))).ToArray();

        // (a) v2: claims on the table at full points, one point reduction, one plain opening.
        var plain = new LigeroParameters(2, 371, false);
        var clock = Stopwatch.StartNew();
        var plainData = LigeroPcs.Commit(plain, table);
        long plainCommit = clock.ElapsedMilliseconds;
        GoldilocksExt2[][] full = [.. points.Select(p => (GoldilocksExt2[])[.. Bits(p.Offset >> region, 4), .. p.Point])];
        var plainValues = full.Select(p => Multilinear.Evaluate(table, p)).ToArray();
        clock.Restart();
        var transcript = new Transcript("cost", [1]);
        plainData.Commitment.AbsorbInto(transcript);
        var reduced = PointReduction.Prove(transcript, table, full, plainValues);
        var opening = LigeroPcs.Open(transcript, plainData, [reduced.Reduction.Point.ToArray()], new GoldilocksExt2[1]);
        long plainProve = clock.ElapsedMilliseconds;
        int plainBytes = reduced.Proof.ToBytes().Length + opening.ToBytes().Length;

        // (b) zero knowledge: the same claims as functionals, the reduction's mask in the last column.
        var hiding = new LigeroParameters(2, 371, true);
        int rowLength = ZkLinearReduction.RowLength(hiding, n);
        clock.Restart();
        var data = LigeroPcs.Commit(hiding, table, 2);
        long zkCommit = clock.ElapsedMilliseconds;
        var claims = points.Select(p => new ZkLinearClaim(ZkLinearTerm.Eq(p.Offset, GoldilocksExt2.One, p.Point))).ToArray();
        var values = claims.Select(c => c.Apply(table)).ToArray();
        var mask = new ZkReductionMask(0, rowLength - 1, 1);
        clock.Restart();
        transcript = new Transcript("cost", [2]);
        data.Commitment.AbsorbInto(transcript);
        var proof = ZkLinearReduction.Prove(transcript, [data], [0], [0], mask, n - 1, claims, values, out _);
        long zkProve = clock.ElapsedMilliseconds;
        var bytes = proof.ToBytes();
        clock.Restart();
        var verifier = new Transcript("cost", [2]);
        data.Commitment.AbsorbInto(verifier);
        Assert.True(ZkLinearReduction.Verify(verifier, [data.Commitment], [0], [0], mask, n - 1, claims, values, ZkLinearReductionProof.FromBytes(bytes), out _));
        long zkVerify = clock.ElapsedMilliseconds;
        // (c) zero knowledge with the reduction's mask in a one-sumcheck mask set: one evaluation row, one small extra opening.
        clock.Restart();
        var data1 = LigeroPcs.Commit(hiding, table, 1);
        var masks = ZkSumcheckMaskSet.Commit(hiding, [ZkLinearReduction.Shape(n, n - 1)]);
        transcript = new Transcript("cost", [3]);
        masks.Commitment.AbsorbInto(transcript);
        data1.Commitment.AbsorbInto(transcript);
        var proof1 = ZkLinearReduction.Prove(transcript, data1, 0, 0, masks, 0, claims, values, out var result1);
        var maskOpening = masks.Open(transcript, [result1.Point.ToArray()], new GoldilocksExt2[1]);
        long setProve = clock.ElapsedMilliseconds;
        int setBytes = proof1.ToBytes().Length + maskOpening.ToBytes().Length;
        output.WriteLine($"2^{n} table, {Claims} claims, rate 1/4, Q = 371 (rows {plainData.Commitment.DataRows} plain / {data.Commitment.DataRows} hiding, message {plainData.Commitment.MessageLength} / {data.Commitment.MessageLength})");
        output.WriteLine($"plain (v2): commit {plainCommit} ms, reduce + open {plainProve} ms, {plainBytes} bytes");
        output.WriteLine($"zero knowledge, mask in a column: commit {zkCommit} ms, reduce + open {zkProve} ms, {bytes.Length} bytes, verify {zkVerify} ms");
        output.WriteLine($"zero knowledge, mask set: commit + reduce + open {setProve} ms, {setBytes} bytes (reduction {proof1.ToBytes().Length}, mask set opening {maskOpening.ToBytes().Length})");
    }

    private static GoldilocksExt2[] Bits(long value, int count) =>
        [.. Enumerable.Range(0, count).Select(i => ((value >> (count - 1 - i)) & 1) == 1 ? GoldilocksExt2.One : GoldilocksExt2.Zero)];
}
