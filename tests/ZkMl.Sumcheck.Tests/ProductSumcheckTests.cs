using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class ProductSumcheckTests
{
    private const string Protocol = "ZkMl.Sumcheck.Tests";

    private static Transcript NewTranscript(string statement = "statement") => new(Protocol, Naive.Digest(statement));

    /// <summary>The verifier's full decision: the sumcheck verifies and every reduced value matches the factor.</summary>
    private static bool Accepts(Goldilocks[][] factors, GoldilocksExt2 claim, SumcheckProof proof, string statement = "statement")
    {
        int n = System.Numerics.BitOperations.Log2((uint)factors[0].Length);
        if (!ProductSumcheck.Verify(NewTranscript(statement), n, factors.Length, claim, proof, out var reduction)) return false;
        var point = reduction.Point.ToArray();
        for (int j = 0; j < factors.Length; j++)
            if (reduction.Evaluations[j] != Naive.Evaluate(factors[j], point)) return false;
        return true;
    }

    /// <summary>As above for bytes; only <see cref="ProofFormatException"/> may escape the verifier.</summary>
    private static bool AcceptsBytes(Goldilocks[][] factors, GoldilocksExt2 claim, byte[] bytes)
    {
        SumcheckProof proof;
        try
        {
            proof = SumcheckProof.FromBytes(bytes);
            int n = System.Numerics.BitOperations.Log2((uint)factors[0].Length);
            if (!ProductSumcheck.Verify(NewTranscript(), n, factors.Length, claim, bytes, out _)) return false;
        }
        catch (ProofFormatException)
        {
            return false;
        }
        return Accepts(factors, claim, proof);
    }

    private static Goldilocks[][] RandomFactors(Random rng, int k, int n) =>
        Enumerable.Range(0, k).Select(_ => Naive.RandomTable(rng, n)).ToArray();

    [Property(MaxTest = 60)]
    public void HonestProofsVerifyAndReduceToTheFactorsValues(int seed)
    {
        var rng = new Random(seed);
        int k = rng.Next(1, 5), n = rng.Next(0, 7);
        var factors = RandomFactors(rng, k, n);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);

        Assert.Equal((GoldilocksExt2)Naive.SumOfProducts(factors), result.Claim);
        var point = result.Reduction.Point.ToArray();
        Assert.Equal(n, point.Length);
        for (int j = 0; j < k; j++) Assert.Equal(Naive.Evaluate(factors[j], point), result.Reduction.Evaluations[j]);

        Assert.True(ProductSumcheck.Verify(NewTranscript(), n, k, result.Claim, result.Proof.ToBytes(), out var reduction));
        Assert.Equal(point, reduction.Point.ToArray());
        Assert.True(Accepts(factors, result.Claim, result.Proof));
    }

    [Property(MaxTest = 30)]
    public void TheExtensionFieldProverSendsTheSameProof(int seed)
    {
        var rng = new Random(seed);
        int k = rng.Next(1, 5), n = rng.Next(0, 7);
        var factors = RandomFactors(rng, k, n);
        var fromBase = ProductSumcheck.Prove(NewTranscript(), factors);
        var lifted = factors.Select(t => t.Select(v => (GoldilocksExt2)v).ToArray()).ToArray();
        var fromExt = ProductSumcheck.ProveInPlace(NewTranscript(), lifted);
        Assert.Equal(fromBase.Claim, fromExt.Claim);
        Assert.Equal(fromBase.Proof.ToBytes(), fromExt.Proof.ToBytes());
    }

    [Theory]
    [InlineData(2, 15)]
    [InlineData(3, 14)]
    public void LargeProductsTakeTheParallelPathAndVerify(int k, int n)
    {
        var rng = new Random(k * 100 + n);
        var factors = RandomFactors(rng, k, n);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        Assert.Equal((GoldilocksExt2)Naive.SumOfProducts(factors), result.Claim);
        Assert.True(ProductSumcheck.Verify(NewTranscript(), n, k, result.Claim, result.Proof, out var reduction));
        var point = reduction.Point.ToArray();
        for (int j = 0; j < k; j++) Assert.Equal(Multilinear.Evaluate(factors[j], point), reduction.Evaluations[j]);
    }

    [Property(MaxTest = 40)]
    public void WrongClaimsAreRejected(int seed)
    {
        var rng = new Random(seed);
        int k = rng.Next(1, 5), n = rng.Next(0, 6);
        var factors = RandomFactors(rng, k, n);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        var wrong = result.Claim + GoldilocksExt2.Random(rng);
        Assert.False(Accepts(factors, wrong, result.Proof));
    }

    [Property(MaxTest = 40)]
    public void AlteredRoundPolynomialsAreRejected(int seed)
    {
        var rng = new Random(seed);
        int k = rng.Next(1, 5), n = rng.Next(1, 6);
        var factors = RandomFactors(rng, k, n);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        var messages = result.Proof.RoundMessages.ToArray();
        messages[rng.Next(messages.Length)] += GoldilocksExt2.One;
        var altered = new SumcheckProof(n, k, messages, result.Proof.FinalEvaluations);
        Assert.False(Accepts(factors, result.Claim, altered));
    }

    [Property(MaxTest = 40)]
    public void AlteredFinalValuesAreRejectedEvenWhenTheirProductMatches(int seed)
    {
        var rng = new Random(seed);
        int k = rng.Next(2, 5), n = rng.Next(1, 6);
        var factors = RandomFactors(rng, k, n);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        var finals = result.Proof.FinalEvaluations.ToArray();
        finals[0] += GoldilocksExt2.One;
        Assert.False(Accepts(factors, result.Claim, new SumcheckProof(n, k, result.Proof.RoundMessages, finals)));
        // Scaling one value and unscaling another keeps the product: the sumcheck verifier passes, the factor check does not.
        var c = GoldilocksExt2.FromUInt64(3);
        finals = result.Proof.FinalEvaluations.ToArray();
        finals[0] *= c;
        finals[1] *= GoldilocksExt2.Inverse(c);
        var forged = new SumcheckProof(n, k, result.Proof.RoundMessages, finals);
        Assert.True(ProductSumcheck.Verify(NewTranscript(), n, k, result.Claim, forged, out _));
        Assert.False(Accepts(factors, result.Claim, forged));
    }

    [Fact]
    public void ProofsAreBoundToTheStatementAndTheShape()
    {
        var rng = new Random(3);
        var factors = RandomFactors(rng, 3, 5);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        Assert.True(Accepts(factors, result.Claim, result.Proof));
        Assert.False(Accepts(factors, result.Claim, result.Proof, statement: "another statement"));
        Assert.False(ProductSumcheck.Verify(NewTranscript(), 4, 3, result.Claim, result.Proof, out _));
        Assert.False(ProductSumcheck.Verify(NewTranscript(), 5, 2, result.Claim, result.Proof, out _));
    }

    [Fact]
    public void TruncatedExtendedAndReheadedProofsThrowTheFormatException()
    {
        var rng = new Random(4);
        var factors = RandomFactors(rng, 2, 3);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        var bytes = result.Proof.ToBytes();
        Assert.True(AcceptsBytes(factors, result.Claim, bytes));
        for (int length = 0; length < bytes.Length; length++)
            Assert.Throws<ProofFormatException>(() => SumcheckProof.FromBytes(bytes.AsSpan(0, length)));
        Assert.Throws<ProofFormatException>(() => SumcheckProof.FromBytes([.. bytes, 0]));
        var otherVersion = (byte[])bytes.Clone();
        otherVersion[4] ^= 1;
        Assert.Throws<ProofFormatException>(() => SumcheckProof.FromBytes(otherVersion));
        var nonCanonical = (byte[])bytes.Clone();
        BitConverter.GetBytes(Goldilocks.P).CopyTo(nonCanonical, 14); // first field element's low limb := p
        Assert.Throws<ProofFormatException>(() => SumcheckProof.FromBytes(nonCanonical));
        var hugeCount = (byte[])bytes.Clone();
        BitConverter.GetBytes(uint.MaxValue).CopyTo(hugeCount, 6);
        Assert.Throws<ProofFormatException>(() => SumcheckProof.FromBytes(hugeCount));
    }

    [Fact]
    public void EveryBitFlipIsRejected()
    {
        var rng = new Random(5);
        var factors = RandomFactors(rng, 3, 3);
        var result = ProductSumcheck.Prove(NewTranscript(), factors);
        var bytes = result.Proof.ToBytes();
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(AcceptsBytes(factors, result.Claim, flipped), $"bit {bit} flipped was accepted");
        }
    }
}
