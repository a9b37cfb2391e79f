using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Fuzz;

/// <summary>
/// Fixed small statements for the ZkMl.Sumcheck targets (a range lookup of 8 rows into 0..15, a hiding Ligero opening of
/// a 16-entry table, a masked 3-variable 2-factor sumcheck, a zero-knowledge 3-variable sumcheck of eq A' B', a
/// zero-knowledge fractional-sum GKR over 8 leaves, a zero-knowledge linear reduction over a 2^5 and a 2^3 commitment),
/// their verifiers, and the honest proofs used as seeds.
/// </summary>
internal static class SumcheckFuzz
{
    private static readonly LookupTable Range = LookupTable.Range(4);
    private static readonly Goldilocks[] LookupWitness = [.. Enumerable.Range(0, 8).Select(i => Goldilocks.FromUInt64((ulong)(i * 7 % 16)))];
    private static readonly LigeroParameters Parameters = new(1, 8, true);
    private static readonly Lazy<(LigeroProverData Data, GoldilocksExt2[] Point, GoldilocksExt2 Value, byte[] Proof)> Opening = new(() =>
    {
        var rng = new Random(1);
        var table = Enumerable.Range(0, 16).Select(_ => Goldilocks.Random(rng)).ToArray();
        var data = LigeroPcs.Commit(Parameters, table, new Random(2));
        var point = Enumerable.Range(0, 4).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var value = new GoldilocksExt2[1];
        // A hiding commitment opens its masked extension, once: the seed is this opening.
        var proof = LigeroPcs.Open(NewTranscript(), data, [point], value).ToBytes();
        return (data, point, value[0], proof);
    });
    /// <summary>A non-hiding commitment to 11 values of a 16-entry table (zero tail) and its opening at a fixed point.</summary>
    private static readonly Lazy<(GoldilocksExt2[] Point, GoldilocksExt2 Value, byte[] Proof)> ZeroTail = new(() =>
    {
        var rng = new Random(3);
        var table = Enumerable.Range(0, 11).Select(_ => Goldilocks.Random(rng)).ToArray();
        var data = LigeroPcs.CommitZeroTail(new LigeroParameters(1, 8, false), table, 4);
        var point = Enumerable.Range(0, 4).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var value = new GoldilocksExt2[1];
        var opening = LigeroPcs.Open(NewTranscript(), data, [point], value);
        var writer = new ProofWriter("ZKLT", 1);
        data.Commitment.WriteTo(writer);
        opening.WriteTo(writer);
        return (point, value[0], writer.ToArray());
    });
    private static readonly Lazy<(Goldilocks[][] Factors, GoldilocksExt2 Claim)> Masked = new(() =>
    {
        var rng = new Random(4);
        Goldilocks[][] factors = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 8).Select(_ => Goldilocks.Random(rng)).ToArray())];
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int x = 0; x < 8; x++) claim += (GoldilocksExt2)(factors[0][x] * factors[1][x]);
        return (factors, claim);
    });

    private static readonly LigeroParameters ZkParameters = new(2, 8, true);
    private static readonly ZkSumcheckShape ZkShape = new(3, 3, 2, 0);
    private static readonly Lazy<(Goldilocks[] Eq, Goldilocks[] TableA, Goldilocks[] TableB, LigeroProverData A, LigeroProverData B, ZkSumcheckMaskSet Masks, GoldilocksExt2 Claim)> Zk = new(() =>
    {
        var rng = new Random(6);
        var a = Enumerable.Range(0, 8).Select(_ => Goldilocks.Random(rng)).ToArray();
        var b = Enumerable.Range(0, 8).Select(_ => Goldilocks.Random(rng)).ToArray();
        var eq = Enumerable.Range(0, 8).Select(_ => Goldilocks.Random(rng)).ToArray();
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int x = 0; x < 8; x++) claim += (GoldilocksExt2)(eq[x] * a[x] * b[x]);
        return (eq, a, b, LigeroPcs.Commit(ZkParameters, a, rng), LigeroPcs.Commit(ZkParameters, b, rng), ZkSumcheckMaskSet.Commit(ZkParameters, [ZkShape], rng), claim);
    });
    private static readonly Lazy<ZkSumcheckFactor[]> GkrLeaves = new(() =>
    {
        // p / q over 8 leaves summing to zero (the last numerator solved for); halves p(1, .) and q(0, .) masked as a LogUp's.
        var rng = new Random(7);
        var p = new GoldilocksExt2[8];
        var q = new GoldilocksExt2[8];
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < 8; i++)
        {
            q[i] = new(Goldilocks.Random(rng), Goldilocks.Random(rng));
            if (i == 7) break;
            p[i] = new(Goldilocks.Random(rng), Goldilocks.Random(rng));
            sum += p[i] * GoldilocksExt2.Inverse(q[i]);
        }
        p[7] = -(sum * q[7]);
        GoldilocksExt2[] Mask() => [new(Goldilocks.Random(rng), Goldilocks.Random(rng)), new(Goldilocks.Random(rng), Goldilocks.Random(rng))];
        return [new(p.AsSpan(0, 4)), ZkSumcheckFactor.Masked(p.AsSpan(4, 4), Mask()), ZkSumcheckFactor.Masked(q.AsSpan(0, 4), Mask()), new(q.AsSpan(4, 4))];
    });

    private static Transcript NewTranscript() => new("ZkMl.Fuzz", []);

    private static Transcript NewZkTranscript()
    {
        var transcript = NewTranscript();
        Zk.Value.Masks.Commitment.AbsorbInto(transcript);
        Zk.Value.A.Commitment.AbsorbInto(transcript);
        Zk.Value.B.Commitment.AbsorbInto(transcript);
        return transcript;
    }

    /// <summary>Two hiding commitments (2^5 and 2^3 entries), three linear claims across them, the reduction's mask in a one-sumcheck mask set.</summary>
    private static readonly Lazy<(LigeroProverData[] Data, ZkSumcheckMaskSet Masks, ZkSumcheckShape Shape, ZkLinearClaim[] Claims, GoldilocksExt2[] Values)> Linear = new(() =>
    {
        var rng = new Random(9);
        Goldilocks[][] tables = [[.. Enumerable.Range(0, 32).Select(_ => Goldilocks.Random(rng))], [.. Enumerable.Range(0, 8).Select(_ => Goldilocks.Random(rng))]];
        var data = tables.Select(t => LigeroPcs.Commit(ZkParameters, t, rng)).ToArray();
        var shape = ZkLinearReduction.Shape([5, 3], 4);
        GoldilocksExt2 Random() => new(Goldilocks.Random(rng), Goldilocks.Random(rng));
        GoldilocksExt2[] Point(int n) => [.. Enumerable.Range(0, n).Select(_ => Random())];
        ZkLinearClaim[] claims =
        [
            new(ZkLinearTerm.Eq(16, Random(), Point(4)), ZkLinearTerm.Scalar(2, Random())),
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Point(3), table: 1)),
            new(ZkLinearTerm.Dense(4, [Random(), Random(), Random()], table: 1), ZkLinearTerm.Eq(0, GoldilocksExt2.One, Point(5))),
        ];
        return (data, ZkSumcheckMaskSet.Commit(ZkParameters, [shape], rng), shape, claims, [.. claims.Select(c => c.Apply(tables))]);
    });

    private static Transcript NewLinearTranscript()
    {
        var transcript = NewTranscript();
        Linear.Value.Masks.Commitment.AbsorbInto(transcript);
        foreach (var d in Linear.Value.Data) d.Commitment.AbsorbInto(transcript);
        return transcript;
    }

    /// <summary>A "ZKLR" proof decoded and verified for the fixed commitments, claims and values (the mask set's opening is not part of it).</summary>
    public static bool VerifyZkLinear(byte[] proof)
    {
        var linear = Linear.Value;
        return ZkLinearReduction.Verify(NewLinearTranscript(), [.. linear.Data.Select(d => d.Commitment)], [0, 0], [0, 0], linear.Shape, linear.Claims, linear.Values,
            ZkLinearReductionProof.FromBytes(proof), out _);
    }

    public static bool VerifyZkSumcheck(byte[] proof) => ZkSumcheck.Verify(NewZkTranscript(), ZkShape, Zk.Value.Claim, proof, out _);

    public static bool VerifyZkGkr(byte[] proof) => ZkFractionalSumGkr.Verify(NewTranscript(), ZkParameters, 3, 2, proof, out _);

    public static bool VerifyLookup(byte[] proof) => LogUpLookup.Verify(NewTranscript(), Range, 3, proof, out _);

    public static bool VerifyOpening(byte[] proof) =>
        LigeroPcs.Verify(NewTranscript(), Opening.Value.Data.Commitment, [Opening.Value.Point], [Opening.Value.Value], proof);

    /// <summary>A commitment (its data rows included) and an opening of it, decoded and verified at the fixed point and value.</summary>
    public static bool VerifyZeroTail(byte[] proof)
    {
        var reader = new ProofReader(proof, "ZKLT", 1);
        var commitment = LigeroCommitment.ReadFrom(ref reader);
        var opening = LigeroOpening.ReadFrom(ref reader);
        reader.EnsureEnd();
        return commitment.Variables == ZeroTail.Value.Point.Length
            && LigeroPcs.Verify(NewTranscript(), commitment, [ZeroTail.Value.Point], [ZeroTail.Value.Value], opening);
    }

    public static bool VerifyMasked(byte[] proof) => MaskedSumcheck.Verify(NewTranscript(), 3, 2, Masked.Value.Claim, proof, out _);

    /// <summary>One honest proof per target (the verifier accepts each).</summary>
    public static IEnumerable<(string Target, string Name, byte[] Bytes)> Seeds()
    {
        var m = LogUpLookup.Multiplicities(Range, LookupWitness);
        yield return ("lookup-proof", "ours-range16.bin", LogUpLookup.Prove(NewTranscript(), Range, m, LookupWitness).Proof.ToBytes());
        yield return ("ligero-opening", "ours-hiding16.bin", Opening.Value.Proof);
        yield return ("ligero-zero-tail", "ours-tail11of16.bin", ZeroTail.Value.Proof);
        var mask = SumcheckMask.Create(3, 2, new Random(5));
        yield return ("masked-sumcheck", "ours-n3k2.bin", MaskedSumcheck.Prove(NewTranscript(), mask, Masked.Value.Factors).Proof.ToBytes());
        var zk = Zk.Value;
        yield return ("zk-sumcheck", "ours-n3.bin", ZkSumcheck.Prove(NewZkTranscript(), zk.Masks, 0, new ZkSumcheckFactor(zk.Eq),
            ZkSumcheckFactor.Masked(zk.TableA, zk.A.EvaluationMask(0)), ZkSumcheckFactor.Masked(zk.TableB, zk.B.EvaluationMask(0))).Proof.ToBytes());
        yield return ("zk-fractional-gkr", "ours-n3.bin", ZkFractionalSumGkr.Prove(NewTranscript(), ZkParameters, GkrLeaves.Value, new Random(8)).Proof.ToBytes());
        var linear = Linear.Value;
        yield return ("zk-linear-reduction", "ours-k2.bin",
            ZkLinearReduction.Prove(NewLinearTranscript(), linear.Data, [0, 0], [0, 0], linear.Masks, 0, linear.Claims, linear.Values, out _).ToBytes());
    }
}
