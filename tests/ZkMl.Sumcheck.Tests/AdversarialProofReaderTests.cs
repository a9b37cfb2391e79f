using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Every new zero-knowledge proof reader against count fields that claim gigabytes: in an honest proof's bytes, every
/// 4-byte window of the first 600 bytes (and 40 later ones) is set to 2^32 - 1, 2^31 and 2^28 in turn; decoding must
/// succeed or throw <see cref="ProofFormatException"/>, never allocate its way to an OutOfMemoryException or fail with
/// another exception (overflow, index out of range, argument).
/// </summary>
public class AdversarialProofReaderTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.AdversarialReaders", Naive.Digest("adversarial-readers"));

    private static GoldilocksExt2 Ext(Random rng) => new(Goldilocks.Random(rng), Goldilocks.Random(rng));

    private static void EveryHugeWindowIsRefusedOrDecodes(byte[] honest, Action<byte[]> decode)
    {
        decode(honest);
        var offsets = Enumerable.Range(0, Math.Min(600, honest.Length - 3)).Concat(Enumerable.Range(1, 40).Select(i => (int)((long)(honest.Length - 4) * i / 41))).Distinct();
        foreach (int offset in offsets)
            foreach (uint value in new[] { uint.MaxValue, 1u << 31, 1u << 28 })
            {
                var forged = (byte[])honest.Clone();
                BitConverter.TryWriteBytes(forged.AsSpan(offset, 4), value);
                try
                {
                    decode(forged);
                }
                catch (ProofFormatException)
                {
                }
            }
    }

    [Fact]
    public void ZkLinearReductionProofs()
    {
        var rng = new Random(1);
        var tables = new[] { Naive.RandomTable(rng, 6), Naive.RandomTable(rng, 3) };
        var data = tables.Select(t => LigeroPcs.Commit(Parameters, t, rng)).ToArray();
        var shape = ZkLinearReduction.Shape([6, 3], 5);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [shape], rng);
        ZkLinearClaim[] claims = [new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 3), table: 1)), new(ZkLinearTerm.Dense(4, Naive.RandomPoint(rng, 3), table: 0))];
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        var transcript = NewTranscript();
        var proof = ZkLinearReduction.Prove(transcript, data, [0, 0], [0, 0], masks, 0, claims, values, out var reduction);
        var opening = masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        EveryHugeWindowIsRefusedOrDecodes(proof.ToBytes(), b => ZkLinearReductionProof.FromBytes(b));
        EveryHugeWindowIsRefusedOrDecodes(opening.ToBytes(), b => LigeroOpening.FromBytes(b));
        var writer = new ProofWriter("TEST", 1);
        data[0].Commitment.WriteTo(writer);
        EveryHugeWindowIsRefusedOrDecodes(writer.ToArray(), b =>
        {
            var reader = new ProofReader(b, "TEST", 1);
            LigeroCommitment.ReadFrom(ref reader);
            reader.EnsureEnd();
        });
    }

    [Fact]
    public void ZkSumcheckAndFractionalSumGkrProofs()
    {
        var rng = new Random(2);
        int n = 4, size = 1 << n, half = size / 2;
        var p = new GoldilocksExt2[size];
        var q = new GoldilocksExt2[size];
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < size; i++)
        {
            q[i] = Ext(rng);
            if (i == size - 1) break;
            p[i] = Ext(rng);
            sum += p[i] * GoldilocksExt2.Inverse(q[i]);
        }
        p[size - 1] = -(sum * q[size - 1]);
        ZkSumcheckFactor[] leaves =
        [
            new(p.AsSpan(0, half)),
            ZkSumcheckFactor.Masked(p.AsSpan(half, half), [Ext(rng), Ext(rng)]),
            ZkSumcheckFactor.Masked(q.AsSpan(0, half), [Ext(rng), Ext(rng)]),
            new(q.AsSpan(half, half)),
        ];
        var result = ZkFractionalSumGkr.Prove(NewTranscript(), Parameters, leaves, rng);
        EveryHugeWindowIsRefusedOrDecodes(result.Proof.ToBytes(), b => ZkFractionalSumGkrProof.FromBytes(b));
        EveryHugeWindowIsRefusedOrDecodes(result.Proof.Steps[1].ToBytes(), b => ZkSumcheckProof.FromBytes(b));
    }
}
