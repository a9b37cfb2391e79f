using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The pieces together as a prover built on them would use them: A, B, C = A B and the multiplicities of C's entries in
/// a range table are committed; a matrix-product sumcheck and a range lookup reduce everything to evaluation claims,
/// and batched openings check those against the commitments. Nothing is evaluated directly by the verifier. (Not hiding:
/// C is opened at two points, which a hiding commitment refuses.)
/// </summary>
public class CompositionTests
{
    private static readonly LigeroParameters Parameters = new(2, 40, false);
    private static readonly LookupTable Range = LookupTable.Range(6);

    private sealed record Proof(LigeroCommitment[] Commitments, GoldilocksExt2 Claim, SumcheckProof MatMul, LookupProof Lookup,
        LigeroOpening OpenC, GoldilocksExt2[] ValuesC, LigeroOpening OpenA, GoldilocksExt2 ValueA, LigeroOpening OpenB, GoldilocksExt2 ValueB,
        LigeroOpening OpenM, GoldilocksExt2 ValueM);

    private static Transcript Start(LigeroCommitment[] commitments)
    {
        var transcript = new Transcript("ZkMl.Sumcheck.Tests.Composition", Naive.Digest("C = A B, C in range"));
        foreach (var c in commitments) c.AbsorbInto(transcript);
        return transcript;
    }

    private static (GoldilocksExt2[] Row, GoldilocksExt2[] Column) Points(Transcript transcript, MatrixShape shape)
    {
        var row = new GoldilocksExt2[shape.RowVariables];
        var column = new GoldilocksExt2[shape.ColumnVariables];
        transcript.ChallengeExt("row", row);
        transcript.ChallengeExt("column", column);
        return (row, column);
    }

    /// <summary>Proves with C as given (a cheating prover passes a C that is not A B or not in range).</summary>
    private static Proof Prove(MatrixShape shape, Goldilocks[] a, Goldilocks[] b, Goldilocks[] c, Goldilocks[] multiplicities)
    {
        var rng = new Random(1);
        var (pa, pb, pc) = (Naive.Pad(a, shape.Rows, shape.Inner), Naive.Pad(b, shape.Inner, shape.Columns), Naive.Pad(c, shape.Rows, shape.Columns));
        var data = new[] { pa, pb, pc, multiplicities }.Select(t => LigeroPcs.Commit(Parameters, t, rng)).ToArray();
        var commitments = data.Select(d => d.Commitment).ToArray();
        var transcript = Start(commitments);
        var (row, column) = Points(transcript, shape);
        var claim = Multilinear.Evaluate(pc, [.. row, .. column]);
        transcript.Absorb("claim", [claim]);
        var matmul = MatrixProductSumcheck.Prove(transcript, shape, a, b, row, column);
        var lookup = LogUpLookup.Prove(transcript, Range, multiplicities, pc);
        var inner = matmul.Reduction.Point.ToArray();
        var valuesC = new GoldilocksExt2[2];
        var openC = LigeroPcs.Open(transcript, data[2], [[.. row, .. column], lookup.Reduction.WitnessPoint.ToArray()], valuesC);
        var value = new GoldilocksExt2[1];
        var openA = LigeroPcs.Open(transcript, data[0], [[.. row, .. inner]], value);
        var valueA = value[0];
        var openB = LigeroPcs.Open(transcript, data[1], [[.. inner, .. column]], value);
        var valueB = value[0];
        var openM = LigeroPcs.Open(transcript, data[3], [lookup.Reduction.TablePoint.ToArray()], value);
        return new Proof(commitments, claim, matmul.Proof, lookup.Proof, openC, valuesC, openA, valueA, openB, valueB, openM, value[0]);
    }

    private static bool Verify(MatrixShape shape, Proof proof)
    {
        var transcript = Start(proof.Commitments);
        var (row, column) = Points(transcript, shape);
        transcript.Absorb("claim", [proof.Claim]);
        if (!MatrixProductSumcheck.Verify(transcript, shape, proof.Claim, proof.MatMul, out var matmul)) return false;
        int witnessVariables = shape.RowVariables + shape.ColumnVariables;
        if (!LogUpLookup.Verify(transcript, Range, witnessVariables, proof.Lookup, out var lookup)) return false;
        var inner = matmul.Point.ToArray();
        // The claims the sub-protocols left: C at two points, A and B at the matmul's point, m at the table point.
        if (proof.ValuesC[0] != proof.Claim || proof.ValuesC[1] != lookup.ColumnValues[0]) return false;
        if (proof.ValueA != matmul.Evaluations[0] || proof.ValueB != matmul.Evaluations[1] || proof.ValueM != lookup.MultiplicityValue) return false;
        return LigeroPcs.Verify(transcript, proof.Commitments[2], [[.. row, .. column], lookup.WitnessPoint.ToArray()], proof.ValuesC, proof.OpenC)
            && LigeroPcs.Verify(transcript, proof.Commitments[0], [[.. row, .. inner]], [proof.ValueA], proof.OpenA)
            && LigeroPcs.Verify(transcript, proof.Commitments[1], [[.. inner, .. column]], [proof.ValueB], proof.OpenB)
            && LigeroPcs.Verify(transcript, proof.Commitments[3], [lookup.TablePoint.ToArray()], [proof.ValueM], proof.OpenM);
    }

    private static (MatrixShape Shape, Goldilocks[] A, Goldilocks[] B, Goldilocks[] C) Instance()
    {
        var rng = new Random(2);
        var shape = new MatrixShape(4, 4, 8);
        var a = Enumerable.Range(0, 16).Select(_ => Goldilocks.FromUInt64((ulong)rng.Next(4))).ToArray();
        var b = Enumerable.Range(0, 32).Select(_ => Goldilocks.FromUInt64((ulong)rng.Next(4))).ToArray();
        return (shape, a, b, Naive.MatrixProduct(a, b, 4, 4, 8));
    }

    [Fact]
    public void AnHonestProductInRangeVerifiesThroughCommitmentsOnly()
    {
        var (shape, a, b, c) = Instance();
        var proof = Prove(shape, a, b, c, LogUpLookup.Multiplicities(Range, c));
        Assert.True(Verify(shape, proof));
    }

    [Fact]
    public void AWrongProductIsRejected()
    {
        var (shape, a, b, c) = Instance();
        c[5] += Goldilocks.One;
        Assert.False(Verify(shape, Prove(shape, a, b, c, LogUpLookup.Multiplicities(Range, c))));
    }

    [Fact]
    public void AnOutOfRangeProductIsRejected()
    {
        var (shape, _, b, _) = Instance();
        var a = new Goldilocks[16];
        a[0] = Goldilocks.FromUInt64(40); // C[0, j] = 40 B[0, j] reaches 120 > 63
        var c = Naive.MatrixProduct(a, b, 4, 4, 8);
        var inRange = c.Select(v => v.Value < 64 ? v : Goldilocks.Zero).ToArray();
        Assert.False(Verify(shape, Prove(shape, a, b, c, LogUpLookup.Multiplicities(Range, inRange))));
    }
}
