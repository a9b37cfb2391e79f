using System.Collections.Concurrent;

namespace ZkMl.Training.Tests;

/// <summary>The Groth16 training setup and each proof show movement, not a jump from 0 to 100%.</summary>
public class Groth16ProgressTests(Groth16Fixture fx) : IClassFixture<Groth16Fixture>
{
    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public readonly ConcurrentQueue<TrainingProgress> Reports = new();
        public void Report(TrainingProgress value) => Reports.Enqueue(value);
    }

    [Fact]
    public void SetupReportsMonotoneIntermediateThousandths()
    {
        var recorder = new Recorder();
        var keys = TrainingSetup.Create(Backend.Groth16, Groth16Fixture.Tiny, fx.Data.Count, recorder);
        Assert.NotNull(keys.Groth16VerifyingKeys);
        var reports = recorder.Reports.ToArray();
        Assert.All(reports, r => Assert.Equal("setup", r.Phase));
        for (int i = 1; i < reports.Length; i++) Assert.True(reports[i].Done > reports[i - 1].Done, $"report {i} did not move forward");
        Assert.Equal(reports[^1].Total, reports[^1].Done);
        Assert.True(reports.Count(r => r.Done > 0 && r.Done < r.Total) >= 3, string.Join(", ", reports.Select(r => r.Done)));
    }

    [Fact]
    public void EachProofReportsMovementInsideTheStep()
    {
        var recorder = new Recorder();
        var transcript = fx.Prover().Train(fx.Challenges(), null, recorder);
        Assert.True(fx.Verifier().VerifyRun(transcript).IsValid);
        var prove = recorder.Reports.Where(r => r.Phase == "prove").ToArray();
        var position = prove.Select(r => r.Done + r.StepFraction).ToArray();
        for (int i = 1; i < position.Length; i++) Assert.True(position[i] >= position[i - 1], $"report {i} went back");
        Assert.Equal(prove[^1].Total, prove[^1].Done);
        for (int step = 0; step < prove[^1].Total; step++)
        {
            int s = step;
            Assert.True(prove.Count(r => r.Done == s && r.StepFraction > 0 && r.StepFraction < 1) >= 3, $"step {s}: no movement inside the proof");
        }
    }
}
