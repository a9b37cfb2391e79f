using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Fuzz;

/// <summary>
/// Fixed small statements for the ZkMl.Sumcheck targets (a range lookup of 8 rows into 0..15, a hiding Ligero opening of
/// a 16-entry table, a masked 3-variable 2-factor sumcheck), their verifiers, and the honest proofs used as seeds.
/// </summary>
internal static class SumcheckFuzz
{
    private static readonly LookupTable Range = LookupTable.Range(4);
    private static readonly Goldilocks[] LookupWitness = [.. Enumerable.Range(0, 8).Select(i => Goldilocks.FromUInt64((ulong)(i * 7 % 16)))];
    private static readonly LigeroParameters Parameters = new(1, 8, true);
    private static readonly Lazy<(LigeroProverData Data, GoldilocksExt2[] Point, GoldilocksExt2 Value)> Opening = new(() =>
    {
        var rng = new Random(1);
        var table = Enumerable.Range(0, 16).Select(_ => Goldilocks.Random(rng)).ToArray();
        var data = LigeroPcs.Commit(Parameters, table, new Random(2));
        var point = Enumerable.Range(0, 4).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var value = new GoldilocksExt2[1];
        LigeroPcs.Open(NewTranscript(), data, [point], value); // a hiding commitment opens its masked extension
        return (data, point, value[0]);
    });
    private static readonly Lazy<(Goldilocks[][] Factors, GoldilocksExt2 Claim)> Masked = new(() =>
    {
        var rng = new Random(4);
        Goldilocks[][] factors = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 8).Select(_ => Goldilocks.Random(rng)).ToArray())];
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int x = 0; x < 8; x++) claim += (GoldilocksExt2)(factors[0][x] * factors[1][x]);
        return (factors, claim);
    });

    private static Transcript NewTranscript() => new("ZkMl.Fuzz", []);

    public static bool VerifyLookup(byte[] proof) => LogUpLookup.Verify(NewTranscript(), Range, 3, proof, out _);

    public static bool VerifyOpening(byte[] proof) =>
        LigeroPcs.Verify(NewTranscript(), Opening.Value.Data.Commitment, [Opening.Value.Point], [Opening.Value.Value], proof);

    public static bool VerifyMasked(byte[] proof) => MaskedSumcheck.Verify(NewTranscript(), 3, 2, Masked.Value.Claim, proof, out _);

    /// <summary>One honest proof per target (the verifier accepts each).</summary>
    public static IEnumerable<(string Target, string Name, byte[] Bytes)> Seeds()
    {
        var m = LogUpLookup.Multiplicities(Range, LookupWitness);
        yield return ("lookup-proof", "ours-range16.bin", LogUpLookup.Prove(NewTranscript(), Range, m, LookupWitness).Proof.ToBytes());
        var values = new GoldilocksExt2[1];
        yield return ("ligero-opening", "ours-hiding16.bin", LigeroPcs.Open(NewTranscript(), Opening.Value.Data, [Opening.Value.Point], values).ToBytes());
        var mask = SumcheckMask.Create(3, 2, new Random(5));
        yield return ("masked-sumcheck", "ours-n3k2.bin", MaskedSumcheck.Prove(NewTranscript(), mask, Masked.Value.Factors).Proof.ToBytes());
    }
}
