using ZkMl.Field;
using ZkMl.Tests.Shared;

namespace ZkMl.Stark.Tests;

public class StarkTests
{
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;
    private static readonly StarkParameters FastTransparent = StarkParameters.InsecureTestOnly with { ZeroKnowledge = false };

    private static (FibonacciAir Air, Goldilocks[][] Trace) Fib(int n = 64)
    {
        var t = FibonacciAir.Trace(n);
        return (new FibonacciAir(n, t[1][n - 1]), t);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FibonacciProofVerifies(bool zk)
    {
        var (air, trace) = Fib();
        var p = Fast with { ZeroKnowledge = zk };
        var proof = StarkProver.Prove(air, trace, p);
        var bytes = proof.ToBytes();
        Assert.True(StarkVerifier.Verify(air, bytes, p, out var why), why);
    }

    [Fact]
    public void ZeroKnowledgeProofIsReproducibleUnderAnInsecureSeedOnly()
    {
        var (air, trace) = Fib(256);
        byte[] Prove(ulong? seed)
        {
            using var _ = seed is { } s ? ZkMl.Common.RandomSource.UseInsecureSeeded(s) : null;
            return StarkProver.Prove(air, trace, Fast).ToBytes();
        }
        Assert.Equal(Prove(5), Prove(5));
        Assert.NotEqual(Prove(5), Prove(6));
        Assert.NotEqual(Prove(null), Prove(null));
    }

    [Fact]
    public void CubicAirWithPeriodicColumnVerifies()
    {
        var air = new CubicAir(3, 64);
        var trace = CubicAir.Trace(3, 64);
        foreach (var p in new[] { Fast, FastTransparent, Fast with { FriFoldingFactor = 2 }, Fast with { FriFoldingFactor = 8, BlowupFactor = 8 } })
        {
            var proof = StarkProver.Prove(air, trace, p);
            Assert.True(StarkVerifier.Verify(air, proof.ToBytes(), p, out var why), why);
        }
    }

    [Fact]
    public void RangeLookupVerifies()
    {
        var air = new RangeAir(512);
        var trace = RangeAir.Trace(512, i => (ulong)(i * 37 % 256));
        var proof = StarkProver.Prove(air, trace, Fast);
        Assert.True(StarkVerifier.Verify(air, proof.ToBytes(), Fast, out var why), why);
    }

    [Fact]
    public void RangeLookupOutOfRangeValueIsRefusedAndForgeryRejected()
    {
        var air = new RangeAir(512);
        var trace = RangeAir.Trace(512, i => i == 100 ? 256UL : (ulong)(i % 256));
        var ex = Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, trace, Fast));
        Assert.Contains("not in the table", ex.Message);
        Assert.Equal(100, ex.Row);
        var forged = StarkProver.Prove(air, trace, Fast, null, checkTrace: false);
        Assert.False(StarkVerifier.Verify(air, forged.ToBytes(), Fast));
    }

    [Fact]
    public void BadTraceNamesConstraintAndRow()
    {
        var (air, trace) = Fib();
        trace[1][10] += Goldilocks.One;
        var ex = Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, trace, Fast));
        Assert.Equal(9, ex.Row);
        Assert.Equal("b' = a + b", ex.Constraint);
        Assert.Contains("row 9", ex.Message);
    }

    [Fact]
    public void BoundaryViolationIsNamed()
    {
        var t = FibonacciAir.Trace(64);
        var air = new FibonacciAir(64, t[1][63] + Goldilocks.One);
        var ex = Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, t, Fast));
        Assert.Equal("result", ex.Constraint);
        Assert.Equal(63, ex.Row);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ForgedProofFromBadTraceIsRejected(bool zk)
    {
        var (air, trace) = Fib();
        trace[0][20] += Goldilocks.One;
        var p = Fast with { ZeroKnowledge = zk };
        var forged = StarkProver.Prove(air, trace, p, null, checkTrace: false);
        Assert.False(StarkVerifier.Verify(air, forged.ToBytes(), p, out var why));
        Assert.NotNull(why);
    }

    [Fact]
    public void WrongPublicInputIsRejected()
    {
        var (air, trace) = Fib();
        var proof = StarkProver.Prove(air, trace, Fast).ToBytes();
        var other = new FibonacciAir(64, air.PublicInputs[0] + Goldilocks.One);
        Assert.False(StarkVerifier.Verify(other, proof, Fast, out var why));
        Assert.Contains("different AIR", why);
    }

    [Fact]
    public void ProofForAnotherAirIsRejected()
    {
        var (air, trace) = Fib();
        var proof = StarkProver.Prove(air, trace, Fast).ToBytes();
        var renamed = new FibonacciAir(64, air.PublicInputs[0], "fib-v2");
        Assert.False(StarkVerifier.Verify(renamed, proof, Fast));
        var cubic = new CubicAir(2, 64);
        Assert.False(StarkVerifier.Verify(cubic, proof, Fast));
        Assert.False(StarkVerifier.Verify(air, proof, Fast with { NumQueries = 9 }));
    }

    [Fact]
    public void TamperedProofsAreRejectedWithoutCrashing()
    {
        var (air, trace) = Fib();
        var bytes = StarkProver.Prove(air, trace, Fast).ToBytes();
        Assert.True(StarkVerifier.Verify(air, bytes, Fast));
        var rng = new Random(7);
        // Bit flips across the whole proof (every 7th byte, random bit).
        for (int i = 0; i < bytes.Length; i += 7)
        {
            var t = (byte[])bytes.Clone();
            t[i] ^= (byte)(1 << rng.Next(8));
            Assert.False(StarkVerifier.Verify(air, t, Fast), $"bit flip at byte {i} accepted");
        }
        // Truncations.
        foreach (int len in new[] { 0, 1, 8, 10, 50, bytes.Length / 2, bytes.Length - 1 })
            Assert.False(StarkVerifier.Verify(air, bytes.AsSpan(0, len), Fast, out var why), $"truncation to {len} accepted");
        // Trailing garbage.
        Assert.False(StarkVerifier.Verify(air, [.. bytes, 0], Fast));
        // Reordered 32-byte blocks.
        for (int i = 0; i + 64 <= bytes.Length; i += 97)
        {
            var t = (byte[])bytes.Clone();
            t.AsSpan(i, 32).CopyTo(t.AsSpan(i + 32));
            bytes.AsSpan(i + 32, 32).CopyTo(t.AsSpan(i));
            if (t.AsSpan().SequenceEqual(bytes)) continue;
            Assert.False(StarkVerifier.Verify(air, t, Fast), $"swap at {i} accepted");
        }
    }

    [Fact]
    public void ZeroKnowledgeProofsDifferEachRunAndHideTraceValues()
    {
        var (air, trace) = Fib();
        var a = StarkProver.Prove(air, trace, Fast).ToBytes();
        var b = StarkProver.Prove(air, trace, Fast).ToBytes();
        Assert.False(a.AsSpan().SequenceEqual(b));
        var c = StarkProver.Prove(air, trace, FastTransparent).ToBytes();
        var d = StarkProver.Prove(air, trace, FastTransparent).ToBytes();
        Assert.True(c.AsSpan().SequenceEqual(d));
    }

    /// <summary>The proof-of-work nonce is the smallest valid one, so parallel grinding cannot make transparent proofs vary.</summary>
    [Fact]
    public void TransparentProofsWithGrindingAreDeterministic()
    {
        var (air, trace) = Fib(16);
        var p = StarkParameters.Secure100Transparent;
        var first = StarkProver.Prove(air, trace, p).ToBytes();
        for (int i = 0; i < 3; i++) Assert.Equal(first, StarkProver.Prove(air, trace, p).ToBytes());
    }

    [Fact]
    public void SecurePresetOnTinyTrace()
    {
        var (air, trace) = Fib(16);
        var p = StarkParameters.Secure100;
        var proof = StarkProver.Prove(air, trace, p);
        Assert.True(proof.ConjecturedSecurityBits >= 100, proof.ToString());
        Assert.Contains("conjectured security", proof.ToString());
        Assert.True(StarkVerifier.Verify(air, proof.ToBytes(), p, out var why), why);
        Assert.False(StarkVerifier.Verify(air, proof.ToBytes(), StarkParameters.InsecureTestOnly));
    }

    [Fact]
    public void InsecurePresetIsLabelled()
    {
        var (air, trace) = Fib(16);
        var proof = StarkProver.Prove(air, trace, Fast);
        Assert.Contains("INSECURE", proof.ToString());
    }
}
