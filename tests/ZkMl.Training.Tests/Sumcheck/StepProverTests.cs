using ZkMl.Field;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The step's shared machinery (<see cref="StepProver"/>, <see cref="StepVerifier"/>): the stacked commitment with the
/// shared range lookup, claims reduced to one opening per commitment; out-of-range limbs, claims moved between stacked
/// tables and false claims are rejected.
/// </summary>
public class StepProverTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(9 * i))];
    private static readonly long[] Public = [3, -4, 5, 6];
    private static readonly long[] Table0 = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly long[] Table1 = [-8, 7, -6, 5, -4, 3, -2, 1];
    private static readonly long[] Limbs0 = [0, 65535, 7, 9, 11, 0, 0, 1];
    private static readonly long[] Limbs1 = [4, 3, 2, 1];

    /// <summary>
    /// A toy protocol: every table is evaluated at a random point, the value sent and claimed. The prover may claim each
    /// value on another table (<paramref name="claimOn"/>) or shift it (<paramref name="offset"/>), as a cheating prover.
    /// </summary>
    private static byte[] Prove(long[] limbs1, Func<int, int>? claimOn = null, int offset = 0)
    {
        var step = new StepProver(Digest);
        var data = LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(Public));
        long[][] tables = [Public, Table0, Table1, Limbs0, limbs1];
        StepOracle[] oracles =
        [
            step.AddPublic(data, RescaledProduct.ToField(Public)), step.AddPrivate(RescaledProduct.ToField(Table0)), step.AddPrivate(RescaledProduct.ToField(Table1)),
            step.AddLimbs(RescaledProduct.ToField(Limbs0)), step.AddLimbs(RescaledProduct.ToField(limbs1)),
        ];
        step.Commit();
        for (int i = 0; i < tables.Length; i++)
        {
            var point = new GoldilocksExt2[Multilinear.VariableCount(tables[i].Length)];
            step.Transcript.ChallengeExt("toy.point", point);
            GoldilocksExt2 value = Multilinear.Evaluate(RescaledProduct.ToField(tables[i]), point) + Goldilocks.FromInt64(i == 1 ? offset : 0);
            step.Transcript.Absorb("toy.value", [value]);
            step.Writer.Write(value);
            step.Claim(oracles[claimOn?.Invoke(i) ?? i], point, value);
        }
        return step.Finish();
    }

    private static bool Verify(byte[] proof)
    {
        try
        {
            var reader = new ProofReader(proof, StepProver.Magic, StepProver.FormatVersion);
            var step = new StepVerifier(Digest);
            int[] variables = [2, 3, 3, 3, 2];
            StepOracle[] oracles =
            [
                step.AddPublic(LigeroPcs.Commit(SumcheckStep.Parameters, RescaledProduct.ToField(Public)).Commitment), step.AddPrivate(3), step.AddPrivate(3),
                step.AddLimbs(3), step.AddLimbs(2),
            ];
            if (!step.Commit(ref reader)) return false;
            for (int i = 0; i < oracles.Length; i++)
            {
                var point = new GoldilocksExt2[variables[i]];
                step.Transcript.ChallengeExt("toy.point", point);
                GoldilocksExt2 value = reader.ReadExt();
                step.Transcript.Absorb("toy.value", [value]);
                step.Claim(oracles[i], point, value);
            }
            if (!step.Finish(ref reader)) return false;
            reader.EnsureEnd();
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Fact]
    public void HonestClaimsVerifyWithOneOpeningPerCommitment()
    {
        var proof = Prove(Limbs1);
        Assert.True(Verify(proof));
        Assert.False(Verify(proof[..^1]));
        var random = new Random(1);
        for (int i = 0; i < 8; i++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(Verify(flipped));
        }
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(-1)]
    [InlineData(1L << 40)]
    public void ALimbOutsideTheRangeTableIsCaughtByTheSharedLookup(long limb) =>
        Assert.False(Verify(Prove([4, limb, 2, 1])));

    [Fact]
    public void AClaimMovedBetweenStackedTablesIsRejected()
    {
        // The prover states Table0's value but proves it as a claim on Table1 (another slot of the same commitment), and back.
        Assert.False(Verify(Prove(Limbs1, i => i == 1 ? 2 : i == 2 ? 1 : i)));
        // ... or on a limb table of the same size.
        Assert.False(Verify(Prove(Limbs1, i => i == 1 ? 3 : i == 3 ? 1 : i)));
    }

    [Fact]
    public void AFalseClaimIsRejectedByThePointReductionAndOpening() =>
        Assert.False(Verify(Prove(Limbs1, offset: 1)));
}
