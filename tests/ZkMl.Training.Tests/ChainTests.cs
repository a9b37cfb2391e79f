using ZkMl.Models;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>The protocol over <see cref="FakeBackend"/>: honest runs verify, and the transcript checks reject what they must.</summary>
public class ChainTests
{
    [Fact]
    public void HonestSampledRunVerifiesAndRoundTripsThroughJson()
    {
        var run = new FakeRun(steps: 6, audit: AuditPolicy.SampleSteps, sample: 2);
        var transcript = run.Train();
        Assert.Equal(6, transcript.StepCount);
        Assert.Equal(2, transcript.Proofs.Count);
        Assert.NotNull(transcript.AuditChallenge);
        var result = run.Verifier().VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(2, result.ProofsVerified);
        Assert.Equal(transcript.Proofs.Select(p => p.Step), result.ProvenSteps);
        Assert.Contains("2 of 6 steps are proven", result.Coverage);

        string path = Path.Combine(Path.GetTempPath(), $"zkml-transcript-{Guid.NewGuid():N}.json");
        try
        {
            transcript.Save(path);
            var loaded = TrainingTranscript.Load(path);
            Assert.True(run.Verifier().VerifyRun(loaded).IsValid);
            Assert.Equal(transcript.ToJsonBytes(), loaded.ToJsonBytes());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AllStepsRunProvesEveryStepOnTheScheduledRows()
    {
        var run = new FakeRun(steps: 5);
        var transcript = run.Train();
        var result = run.Verifier().VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal([0, 1, 2, 3, 4], result.ProvenSteps);
        Assert.Contains("Every one of the 5 steps", result.Coverage);
        Assert.Null(transcript.AuditChallenge);

        // The published final weights are the reference trainer's on the schedule the seed gives, from the derived start.
        var seed = transcript.ScheduleChallenge.Value;
        var model = SeededInitialWeights.Create(run.Contract, seed);
        for (int t = 0; t < 5; t++)
        {
            var rows = SeededBatchSchedule.Rows(seed, run.Data.Count, FakeRun.Small.BatchSize, t);
            Assert.Equal(run.Prover.RowsOf(seed, t), rows);
            var inputs = new long[rows.Length * FakeRun.Small.InputSize];
            var labels = new int[rows.Length];
            run.Data.GatherBatch(rows, inputs, labels);
            model.TrainStep(inputs, labels);
        }
        Assert.True(model.WeightsEqual(transcript.FinalWeights.ToModel(FakeRun.Small)));
    }

    [Fact]
    public void FiatShamirRunVerifiesWithTheFiatShamirSource()
    {
        var run = new FakeRun(steps: 4, audit: AuditPolicy.SampleSteps, sample: 1, source: ChallengeSourceKind.FiatShamir);
        var result = run.Verifier().VerifyRun(run.Train());
        Assert.True(result.IsValid, result.Message);
        Assert.Single(result.ProvenSteps);
    }

    [Theory]
    [InlineData(TamperMode.Alter)]
    [InlineData(TamperMode.Skip)]
    public void TamperedUpdateIsRejectedNamingTheStep(TamperMode mode)
    {
        var run = new FakeRun();
        var transcript = DishonestWorker.Train(run.Prover, run.Challenges, t => t == 3, mode);
        var result = run.Verifier().VerifyRun(transcript);
        Assert.False(result.IsValid);
        Assert.Equal(3, result.FailedStep);
        Assert.Contains("Step 3", result.Message);
        Assert.Equal([0, 1, 2], result.ProvenSteps);
    }

    [Fact]
    public void HonestRunBuiltFromTheStepApiVerifies()
    {
        var run = new FakeRun(steps: 4, audit: AuditPolicy.SampleSteps, sample: 2);
        var transcript = DishonestWorker.Train(run.Prover, run.Challenges, _ => false, TamperMode.Alter);
        var result = run.Verifier().VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void ChangedFinalOrInitialWeightIsRejected()
    {
        var run = new FakeRun();
        var transcript = run.Train();
        var final = TestData.Clone(transcript);
        final.FinalWeights.W2[1] += 1;
        var result = run.Verifier().VerifyRun(run.Sign(final));
        Assert.False(result.IsValid);
        Assert.Contains("Final weights", result.Message);
        var initial = TestData.Clone(transcript);
        initial.InitialWeights.W1[0] += 1;
        Assert.Contains("Initial weights", run.Verifier().VerifyRun(run.Sign(initial)).Message);
    }

    [Fact]
    public void MissingRequiredProofIsRejected()
    {
        var run = new FakeRun();
        var transcript = run.Train();
        var gap = run.Sign(TestData.With(transcript, proofs: transcript.Proofs.Where(p => p.Step != 2).ToList()));
        var result = run.Verifier().VerifyRun(gap);
        Assert.False(result.IsValid);
        Assert.Equal(2, result.FailedStep);
        Assert.Contains("requires a proof", result.Message);
    }

    [Fact]
    public void ExplicitInitialWeightsMustOpenTheContractsCommitment()
    {
        var run = new FakeRun();
        var agreed = run.Prover.Start(QuantizedMlp.CreateInitial(FakeRun.Small, 3));
        var contract = run.Contract with { InitialWeights = InitialWeightsRule.ExplicitCommitment, InitialWeightsCommitment = [.. agreed.Commitment.Span] };
        var prover = new TrainingProver(run.Fake, run.Dataset, contract, run.Worker);
        var challenges = InteractiveChallenge.ForAuditor(contract, run.Auditor);
        Assert.Throws<ArgumentException>(() => prover.Train(challenges));
        Assert.Throws<ArgumentException>(() => prover.Train(challenges, prover.Start(agreed.Model)));
        var transcript = prover.Train(challenges, agreed);
        var result = run.VerifierFor(contract).VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
        // Another start (another salt) for the same weights: commitment 0 is not the agreed one.
        var resalted = prover.Start(agreed.Model);
        var moved = TestData.With(transcript, commitments: [resalted.Commitment.ToArray(), .. transcript.Commitments.Skip(1)],
            initial: TranscriptWeights.From(resalted.Model, resalted.Salt.Span));
        var rejected = run.VerifierFor(contract).VerifyRun(TestData.Sign(moved, run.Worker, contract));
        Assert.False(rejected.IsValid);
        Assert.Contains("Commitment 0", rejected.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"format\":\"zkml-training-transcript\",\"version\":2}")]
    [InlineData("{\"format\":\"zkml-training-transcript\",\"version\":1}")]
    [InlineData("{\"format\":\"other\",\"version\":2}")]
    public void MalformedTranscriptsAreRejected(string json) =>
        Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void UnknownTranscriptFieldIsRejected()
    {
        var run = new FakeRun(steps: 2);
        var json = System.Text.Encoding.UTF8.GetString(run.Train().ToJsonBytes());
        Assert.Contains("\"version\": 2,", json);
        json = json.Replace("\"version\": 2,", "\"version\": 2, \"extra\": 5,");
        Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
