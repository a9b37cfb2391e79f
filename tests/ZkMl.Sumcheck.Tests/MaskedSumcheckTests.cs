using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class MaskedSumcheckTests
{
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.Masked", Naive.Digest("masked"));

    private static Goldilocks[][] RandomFactors(Random rng, int k, int n) =>
        Enumerable.Range(0, k).Select(_ => Naive.RandomTable(rng, n)).ToArray();

    /// <summary>The verifier's full decision, with the factors and the mask table checked directly.</summary>
    private static bool Accepts(Goldilocks[][] factors, SumcheckMask mask, GoldilocksExt2 claim, MaskedSumcheckProof proof)
    {
        int n = System.Numerics.BitOperations.Log2((uint)factors[0].Length);
        if (!MaskedSumcheck.Verify(NewTranscript(), n, factors.Length, claim, proof, out var reduction)) return false;
        var point = reduction.Point.ToArray();
        for (int j = 0; j < factors.Length; j++)
            if (reduction.Evaluations[j] != Naive.Evaluate(factors[j], point)) return false;
        return reduction.MaskEvaluation == Naive.Evaluate(mask.Coefficients.ToArray(), reduction.MaskPoint.ToArray());
    }

    private static bool AcceptsBytes(Goldilocks[][] factors, SumcheckMask mask, GoldilocksExt2 claim, byte[] bytes)
    {
        try
        {
            return Accepts(factors, mask, claim, MaskedSumcheckProof.FromBytes(bytes));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Property(MaxTest = 40)]
    public void HonestMaskedProofsVerify(int seed)
    {
        var rng = new Random(seed);
        int k = rng.Next(1, 5), n = rng.Next(0, 7);
        var factors = RandomFactors(rng, k, n);
        var mask = SumcheckMask.Create(n, k, rng);
        var result = MaskedSumcheck.Prove(NewTranscript(), mask, factors);
        Assert.Equal((GoldilocksExt2)Naive.SumOfProducts(factors), result.Claim);
        Assert.True(Accepts(factors, mask, result.Claim, result.Proof));
        Assert.True(AcceptsBytes(factors, mask, result.Claim, result.Proof.ToBytes()));
    }

    [Fact]
    public void TheMaskSumAndValueMatchTheirDefinitions()
    {
        var rng = new Random(1);
        var mask = SumcheckMask.Create(3, 2, rng);
        var c = mask.Coefficients.ToArray();
        Goldilocks sum = Goldilocks.Zero;
        for (int x = 0; x < 8; x++)
        {
            Goldilocks g = c[0];
            for (int i = 0; i < 3; i++)
                if (Naive.Bit(x, i, 3) == 1) g += c[1 + 2 * i] + c[2 + 2 * i];
            sum += g;
        }
        Assert.Equal(sum, mask.Sum());
        var r = Naive.RandomPoint(rng, 3);
        GoldilocksExt2 expected = c[0];
        for (int i = 0; i < 3; i++) expected += r[i] * c[1 + 2 * i] + r[i] * r[i] * c[2 + 2 * i];
        Assert.Equal(expected, mask.Evaluate(r));
    }

    [Fact]
    public void WrongClaimsAlteredRoundsAndForgedMaskValuesAreRejected()
    {
        var rng = new Random(2);
        var factors = RandomFactors(rng, 3, 4);
        var mask = SumcheckMask.Create(4, 3, rng);
        var result = MaskedSumcheck.Prove(NewTranscript(), mask, factors);
        var p = result.Proof;
        Assert.False(Accepts(factors, mask, result.Claim + GoldilocksExt2.One, p));
        var rounds = p.RoundMessages.ToArray();
        rounds[5] += GoldilocksExt2.One;
        Assert.False(Accepts(factors, mask, result.Claim, new MaskedSumcheckProof(4, 3, p.MaskSum, rounds, p.FinalEvaluations, p.MaskValue, p.MaskProof)));
        Assert.False(Accepts(factors, mask, result.Claim, new MaskedSumcheckProof(4, 3, p.MaskSum + Goldilocks.One, p.RoundMessages, p.FinalEvaluations, p.MaskValue, p.MaskProof)));
        // A forger who shifts the factors' product and compensates with the mask value: the mask's sumcheck refuses.
        var finals = p.FinalEvaluations.ToArray();
        finals[0] += GoldilocksExt2.One;
        Assert.False(Accepts(factors, mask, result.Claim, new MaskedSumcheckProof(4, 3, p.MaskSum, p.RoundMessages, finals, p.MaskValue, p.MaskProof)));
        // A different mask table than the committed one is caught by the caller's check of the mask evaluation.
        Assert.False(Accepts(factors, SumcheckMask.Create(4, 3, rng), result.Claim, p));
    }

    [Fact]
    public void EveryBitFlipIsRejected()
    {
        var rng = new Random(3);
        var factors = RandomFactors(rng, 2, 2);
        var mask = SumcheckMask.Create(2, 2, rng);
        var result = MaskedSumcheck.Prove(NewTranscript(), mask, factors);
        var bytes = result.Proof.ToBytes();
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(AcceptsBytes(factors, mask, result.Claim, flipped), $"bit {bit} flipped was accepted");
        }
        for (int length = 0; length < bytes.Length; length++)
            Assert.Throws<ProofFormatException>(() => MaskedSumcheckProof.FromBytes(bytes.AsSpan(0, length)));
    }

    /// <summary>
    /// Zero knowledge of the rounds: with the same witness, every round value changes with the mask, and none equals
    /// the unmasked round polynomial at the same challenges (which leaks sums of the witness).
    /// </summary>
    [Fact]
    public void RoundMessagesChangeWithTheMaskAndNeverEqualTheUnmaskedOnes()
    {
        var rng = new Random(4);
        int n = 5, k = 2;
        var factors = RandomFactors(rng, k, n);
        var first = MaskedSumcheck.Prove(NewTranscript(), SumcheckMask.Create(n, k, new Random(10)), factors).Proof;
        var second = MaskedSumcheck.Prove(NewTranscript(), SumcheckMask.Create(n, k, new Random(20)), factors).Proof;
        for (int i = 0; i < first.RoundMessages.Length; i++) Assert.NotEqual(first.RoundMessages[i], second.RoundMessages[i]);
        Assert.NotEqual(first.MaskSum, second.MaskSum);

        // Unmasked round polynomials at the masked proof's challenges, by brute force.
        Assert.True(MaskedSumcheck.Verify(NewTranscript(), n, k, (GoldilocksExt2)Naive.SumOfProducts(factors), first, out var reduction));
        var point = reduction.Point.ToArray();
        for (int round = 0; round < n; round++)
        {
            var message = first.RoundMessage(round);
            for (int slot = 0; slot < k; slot++)
            {
                int t = slot == 0 ? 0 : slot + 1;
                Assert.NotEqual(UnmaskedRound(factors, point, round, t), message[slot]);
            }
        }
    }

    /// <summary>sum over x of prod_j f_j(r_0..r_{round-1}, t, x).</summary>
    private static GoldilocksExt2 UnmaskedRound(Goldilocks[][] factors, GoldilocksExt2[] point, int round, int t)
    {
        int n = point.Length, rest = n - round - 1;
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int x = 0; x < 1 << rest; x++)
        {
            var full = new GoldilocksExt2[n];
            for (int i = 0; i < round; i++) full[i] = point[i];
            full[round] = GoldilocksExt2.FromUInt64((ulong)t);
            for (int i = 0; i < rest; i++) full[round + 1 + i] = (GoldilocksExt2)Goldilocks.FromUInt64((ulong)Naive.Bit(x, i, rest));
            GoldilocksExt2 product = GoldilocksExt2.One;
            foreach (var f in factors) product *= Naive.Evaluate(f, full);
            sum += product;
        }
        return sum;
    }
}
