using System.Security.Cryptography;
using FsCheck;
using FsCheck.Xunit;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Contract;

public class ScheduleAndWeightsTests
{
    private static byte[] Seed(int i) => SHA256.HashData(BitConverter.GetBytes(i));

    [Property(MaxTest = 30)]
    public void EveryEpochIsAPermutationAndStepsCutIt(PositiveInt rowsArb, PositiveInt batchArb, NonNegativeInt epochArb, int seed)
    {
        int rows = 1 + rowsArb.Get % 300, batch = 1 + batchArb.Get % rows, epoch = epochArb.Get % 5;
        var key = Seed(seed);
        var perm = Enumerable.Range(0, rows).Select(p => SeededBatchSchedule.Permute(key, rows, epoch, p)).ToArray();
        Assert.Equal(Enumerable.Range(0, rows), perm.Order());
        int perEpoch = SeededBatchSchedule.StepsPerEpoch(rows, batch);
        var steps = Enumerable.Range(epoch * perEpoch, perEpoch).SelectMany(t => SeededBatchSchedule.Rows(key, rows, batch, t)).ToArray();
        Assert.Equal(perm.Take(perEpoch * batch), steps);
    }

    [Fact]
    public void ScheduleIsDeterministicAndDependsOnSeedAndEpoch()
    {
        int[] Epoch(byte[] seed, int e) => [.. Enumerable.Range(0, 1000).Select(p => SeededBatchSchedule.Permute(seed, 1000, e, p))];
        Assert.Equal(Epoch(Seed(1), 0), Epoch(Seed(1), 0));
        Assert.NotEqual(Epoch(Seed(1), 0), Epoch(Seed(2), 0));
        Assert.NotEqual(Epoch(Seed(1), 0), Epoch(Seed(1), 1));
        Assert.NotEqual(Enumerable.Range(0, 1000), Epoch(Seed(1), 0));
        // Far steps cost the same as near ones (no O(rows) precomputation): step 10^9 of 2^31 - 1 rows.
        Assert.Equal(16, SeededBatchSchedule.Rows(Seed(3), int.MaxValue, 16, 1_000_000_000).Distinct().Count());
    }

    [Fact]
    public void InitialWeightsAreInRangeAndNotDegenerate()
    {
        var c = ContractSamples.Stark();
        var model = SeededInitialWeights.Create(c, Seed(7));
        long scale1 = SeededInitialWeights.Scale(64, 32, 10), scale2 = SeededInitialWeights.Scale(32, 10, 10);
        Assert.Equal(256, scale1); // isqrt(6 * 2^20 / 96) = isqrt(65536)
        Assert.Equal(387, scale2); // isqrt(floor(6 * 2^20 / 42)) = isqrt(149796)
        Assert.All(model.Weights1.ToArray(), w => Assert.InRange(w, -scale1, scale1));
        Assert.All(model.Weights2.ToArray(), w => Assert.InRange(w, -scale2, scale2));
        var w1 = model.Weights1.ToArray();
        Assert.True(w1.Distinct().Count() > scale1); // most of the 2 * scale + 1 values occur
        Assert.InRange(w1.Average(), -scale1 / 8.0, scale1 / 8.0);
        Assert.InRange(w1.Min(), -scale1, -scale1 * 3 / 4);
        Assert.InRange(w1.Max(), scale1 * 3 / 4, scale1);
        Assert.True(model.WeightsEqual(SeededInitialWeights.Create(c, Seed(7))));
        Assert.False(model.WeightsEqual(SeededInitialWeights.Create(c, Seed(8))));
    }

    [Fact]
    public void AuditDrawIsDistinctSortedAndInRange()
    {
        for (int i = 0; i < 20; i++)
        {
            var drawn = AuditSample.Draw(Seed(i), 100, 30);
            Assert.Equal(30, drawn.Distinct().Count());
            Assert.Equal(drawn.Order(), drawn);
            Assert.All(drawn, s => Assert.InRange(s, 0, 99));
        }
        Assert.Equal(Enumerable.Range(0, 5), AuditSample.Draw(Seed(0), 5, 5));
        // Roughly uniform: over many draws each of 10 steps is picked about equally often.
        var counts = new int[10];
        for (int i = 0; i < 2000; i++) foreach (int s in AuditSample.Draw(Seed(i), 10, 1)) counts[s]++;
        Assert.All(counts, n => Assert.InRange(n, 130, 270));
    }
}
